package dev.vestibule.router.composition;

/** Something composition did that a schema owner may not expect (an argument dropped, a value removed). */
public record CompositionHint(String code, String message) {
    public String describe() {
        return "hint[" + code + "]: " + message;
    }
}
