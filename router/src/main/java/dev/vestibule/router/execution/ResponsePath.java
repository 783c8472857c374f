package dev.vestibule.router.execution;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;

/**
 * The path of the value being shaped (field keys and list indexes), as a stack over one array. It is read only for
 * errors; pushing and popping are two array stores, where an ArrayList's add and remove(size - 1) showed in profiles.
 */
final class ResponsePath extends AbstractList<Object> {
    private Object[] steps = new Object[32];
    private int depth;

    void push(Object step) {
        if (depth == steps.length) steps = Arrays.copyOf(steps, depth * 2);
        steps[depth++] = step;
    }

    void pop() {
        steps[--depth] = null;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, depth);
        return steps[index];
    }

    @Override
    public int size() {
        return depth;
    }
}
