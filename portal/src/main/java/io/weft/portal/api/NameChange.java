package io.weft.portal.api;

/** The body of a rename: {"name": "..."}. */
record NameChange(String name) {}
