package dev.vestibule.router.json;

import com.fasterxml.jackson.core.io.SerializedString;

/**
 * An object whose field names were JSON-encoded once for many objects (the response shaper's objects share their
 * names by shape): the writer streams it by index without encoding or hashing a name.
 */
public interface PreEncodedObject {
    int fieldCount();

    /** The i-th field's name, JSON-encoded. */
    SerializedString name(int i);

    Object value(int i);
}
