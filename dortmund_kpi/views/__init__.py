"""Page data: query results -> what a page shows. No Streamlit, no SQL."""
