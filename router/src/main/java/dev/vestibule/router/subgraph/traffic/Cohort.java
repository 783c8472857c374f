package dev.vestibule.router.subgraph.traffic;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who a request is for the traffic splits (canaries, progressive {@code @override} labels): the caller's sticky key
 * (the configured header's value or the JWT subject; null when the request has neither), the variant it asked for
 * (A/B: a header or claim the config names), and the override labels it enabled. A caller with a key lands on the
 * same side of every split each time (a hash of the key and the split's name); a caller without one is drawn at random
 * per split.
 */
public record Cohort(String key, Variant variant, Set<String> labels) {
    /** A variant a caller asked for; {@link #ANY}: the weights decide. */
    public enum Variant { ANY, PRIMARY, CANARY }

    /** No key, no variant, no labels. */
    public static final Cohort NONE = new Cohort(null, Variant.ANY, Set.of());

    public Cohort {
        labels = Set.copyOf(labels);
    }

    /**
     * Where this caller falls in the split named {@code split}, in [0, 100): sticky for a caller with a key (the same
     * key and split give the same place), random otherwise.
     */
    public double place(String split) {
        if (key == null) return ThreadLocalRandom.current().nextDouble(100);
        return place(key, split);
    }

    /** The place of {@code key} in the split named {@code split}, in [0, 100). */
    public static double place(String key, String split) {
        // FNV-1a over the key and the split's name, then a 64-bit finaliser (MurmurHash3's): sequential keys such as
        // user-1, user-2 spread evenly
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        hash = (hash ^ 0) * 0x100000001b3L;
        for (byte b : split.getBytes(StandardCharsets.UTF_8)) hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (hash >>> 11) * 0x1.0p-53 * 100;
    }
}
