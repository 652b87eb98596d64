-- asset_stream install script, generated from sql/install/*.sql by the Makefile.
\echo Use "CREATE EXTENSION asset_stream CASCADE" to load this file. \quit
