package dev.vestibule.router.subgraph;

import java.util.Map;

/**
 * A subgraph's JSON answer, with the number of the HTTP call it came from. Requests that joined a call in flight get
 * the same answer and the same number, which is how the executor knows that two requests merged the same answer
 * ({@code dev.vestibule.router.execution.Lineage}) without comparing it.
 */
public record SubgraphResponse(Map<String, Object> json, long call) {}
