package dev.vestibule.samples;

public final class SamplesMain {
    private SamplesMain() {}

    public static void main(String[] args) {
        System.err.println("placeholder");
        System.exit(2);
    }
}
