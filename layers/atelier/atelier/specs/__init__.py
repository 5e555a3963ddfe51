"""DesignSpecs: the canonical, versioned, content-addressed description of a design."""
