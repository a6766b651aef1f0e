"""Reference data shipped with the portal, loaded by data migrations and `load_reference_data`.

The loader upserts by code, so running it again (after the data here grows) is safe.
"""
