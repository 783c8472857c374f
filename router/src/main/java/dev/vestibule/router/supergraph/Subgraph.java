package dev.vestibule.router.supergraph;

/** A subgraph as the supergraph names it: its name, its join__Graph enum value, and where to reach it. */
public record Subgraph(String name, String enumValue, String url) {}
