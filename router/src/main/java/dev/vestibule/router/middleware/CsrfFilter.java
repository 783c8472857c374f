package dev.vestibule.router.middleware;

/** CSRF prevention ({@link BrowserPolicy#csrf}): a request a browser could send cross-site without a preflight is refused (400). */
public final class CsrfFilter implements EdgeFilter {
    private final BrowserPolicy browser;

    public CsrfFilter(BrowserPolicy browser) {
        this.browser = browser;
    }

    @Override
    public Phase phase() {
        return Phase.REQUEST;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        Admission.Refused refused = browser.csrf(request.header("content-type"), request::header);
        return refused == null ? Decision.CONTINUE : Decision.Reject.of(refused);
    }
}
