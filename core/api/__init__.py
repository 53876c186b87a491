"""The HTTP API served beside the Streamlit app by server.py: health, readiness, analysis, webhooks.

Handlers call the same services as the pages and never import Streamlit.
"""
