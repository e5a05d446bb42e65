"""Chuangwei (创卫): the system of record for a city's National Sanitary City campaign office."""
