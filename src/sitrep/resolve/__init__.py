"""Resolvers backed by local reference data: the GeoNames gazetteer and the actor dictionary."""
