package dev.vestibule.router.middleware;

import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A request's {@link Cohort} from what the edge learnt of it ({@code traffic_shaping.callers}): the sticky key (the
 * configured header, else the verified token's subject or the API key's consumer), the variant asked for (a header or
 * claim: {@code canary} or {@code primary}, anything else ignored), the override labels (the configured ones and those
 * the caller adds by header or claim).
 */
public final class Cohorts {
    private Cohorts() {}

    public static Cohort of(EdgeRequest request, TrafficShaping.Callers callers) {
        if (callers == TrafficShaping.Callers.DEFAULTS) {
            Identity identity = request.identity();
            String key = identity == null ? null : identity.subject() != null ? identity.subject() : identity.consumer();
            return key == null ? Cohort.NONE : new Cohort(key, Cohort.Variant.ANY, Set.of());
        }
        Identity identity = request.identity();
        String key = callers.stickyHeader() == null ? null : blankToNull(request.header(callers.stickyHeader()));
        if (key == null && identity != null) key = identity.subject() != null ? identity.subject() : identity.consumer();
        String variant = callers.variantHeader() == null ? null : request.header(callers.variantHeader());
        if (variant == null && callers.variantClaim() != null && identity != null) variant = claim(identity, callers.variantClaim());
        Set<String> labels = new LinkedHashSet<>(callers.overrideLabels());
        if (callers.labelsHeader() != null) addLabels(labels, request.header(callers.labelsHeader()));
        if (callers.labelsClaim() != null && identity != null) {
            if (identity.claims().get(callers.labelsClaim()) instanceof Collection<?> list) list.forEach(l -> addLabels(labels, String.valueOf(l)));
            else addLabels(labels, claim(identity, callers.labelsClaim()));
        }
        return new Cohort(key, variant(variant), labels);
    }

    private static Cohort.Variant variant(String value) {
        if (value == null) return Cohort.Variant.ANY;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "canary" -> Cohort.Variant.CANARY;
            case "primary" -> Cohort.Variant.PRIMARY;
            default -> Cohort.Variant.ANY;
        };
    }

    private static String claim(Identity identity, String name) {
        Object value = identity.claims().get(name);
        return value == null ? null : String.valueOf(value);
    }

    private static void addLabels(Set<String> labels, String list) {
        if (list == null) return;
        for (String label : list.split(",")) {
            String trimmed = label.trim();
            // labels as composition allows them; percent(x) is never a caller's to set
            if (trimmed.matches("[a-zA-Z][a-zA-Z0-9_\\-:./]*") && labels.size() < 64) labels.add(trimmed);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
