"""The only part of core that imports Streamlit: the sign-in gate, navigation and shared widgets."""
