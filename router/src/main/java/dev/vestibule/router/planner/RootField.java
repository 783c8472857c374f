package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.List;

/** A root field and the @skip/@include conditions of the fragments around it, outermost first. */
record RootField(Selection.Field field, List<List<Selection.Condition>> conditions) {}
