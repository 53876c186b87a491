"""Cohorts, the cohort dashboard and counselor notes."""
