"""Orders, Shopify and Stripe: money in integer cents, every inbound event applied once."""
