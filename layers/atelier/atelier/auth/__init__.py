"""Who is calling: API keys, brand-user tokens, and the principal handlers receive."""
