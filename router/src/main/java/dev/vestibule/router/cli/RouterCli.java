package dev.vestibule.router.cli;

/** Entry point of the router jar; the commands arrive with the router issue. */
public final class RouterCli {
    private RouterCli() {}

    public static void main(String[] args) {
        System.err.println("vestibule router: no commands yet");
        System.exit(2);
    }
}
