package dev.vestibule.router.middleware;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rate limits ({@link RateLimiter}): one token from every rule's bucket, keyed by the identity, the client's address
 * and the operation's name; the RateLimit-* headers of the tightest rule on the answer, 429 (or 503 when Redis is
 * away and the limits fail closed) when a bucket is empty.
 */
public final class RateLimitFilter implements EdgeFilter {
    private final RateLimiter limiter;

    public RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Phase phase() {
        return Phase.ADMISSION;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        if (!limiter.enabled()) return Decision.CONTINUE;
        Map<String, String> headers = new LinkedHashMap<>();
        String ip = limiter.clientIp(request.remoteAddress(), request.header("x-forwarded-for"));
        String operationName = request.operation() == null ? null : request.operation().operationName();
        Admission admission = limiter.check(request.identity(), ip, operationName, headers);
        headers.forEach(request::responseHeader);
        return admission instanceof Admission.Refused refused ? Decision.Reject.of(refused) : Decision.CONTINUE;
    }
}
