package dev.vestibule.router.config;

import dev.vestibule.router.middleware.HeaderNamePattern;
import dev.vestibule.router.middleware.HeaderRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/** The {@code headers} section: which client headers each subgraph receives (propagate, insert, remove). */
final class HeadersSection {
    static final String KEY = "headers";

    private HeadersSection() {}

    /** @param reserved the headers authentication writes (forward_claims): the router's alone */
    static HeaderRules parse(ConfigNode node, Set<String> reserved) {
        node.allowOnly(Set.of("all", "subgraphs"));
        Map<String, List<HeaderRules.Rule>> bySubgraph = new LinkedHashMap<>();
        node.get("subgraphs").map().forEach((subgraph, rules) -> bySubgraph.put(subgraph, rules(rules, reserved)));
        return new HeaderRules(rules(node.get("all"), reserved), bySubgraph, reserved);
    }

    private static List<HeaderRules.Rule> rules(ConfigNode list, Set<String> reserved) {
        List<HeaderRules.Rule> rules = new ArrayList<>();
        for (ConfigNode item : list.list()) {
            item.allowOnly(Set.of("propagate", "insert", "remove"));
            if (item.map().size() != 1) throw item.error("each rule is one of propagate, insert or remove");
            ConfigNode propagate = item.get("propagate").allowOnly(Set.of("named", "matching", "rename", "default"));
            ConfigNode insert = item.get("insert").allowOnly(Set.of("name", "value"));
            ConfigNode remove = item.get("remove").allowOnly(Set.of("named", "matching"));
            if (!propagate.isMissing()) {
                String named = lower(propagate.get("named").string(null));
                HeaderNamePattern matching = pattern(propagate.get("matching"));
                if ((named == null) == (matching == null)) throw propagate.error("give exactly one of named or matching");
                if (matching != null && !propagate.get("rename").isMissing()) throw propagate.get("rename").error("only with named");
                String rename = lower(propagate.get("rename").string(null));
                if (rename != null && reserved.contains(rename)) throw propagate.get("rename").error(identityHeader(rename));
                rules.add(new HeaderRules.Propagate(named, matching, rename, propagate.get("default").string(null)));
            } else if (!insert.isMissing()) {
                String name = lower(insert.get("name").requiredString());
                if (reserved.contains(name)) throw insert.get("name").error(identityHeader(name));
                rules.add(new HeaderRules.Insert(name, insert.get("value").requiredString()));
            } else {
                String named = lower(remove.get("named").string(null));
                HeaderNamePattern matching = pattern(remove.get("matching"));
                if ((named == null) == (matching == null)) throw remove.error("give exactly one of named or matching");
                rules.add(new HeaderRules.Remove(named, matching));
            }
        }
        return rules;
    }

    private static String identityHeader(String name) {
        return name + " carries the verified identity (authentication.forward_claims): only the router writes it";
    }

    private static String lower(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    private static HeaderNamePattern pattern(ConfigNode node) {
        String text = node.string(null);
        if (text == null) return null;
        try {
            return HeaderNamePattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw node.error("not a valid regular expression: " + e.getDescription());
        }
    }
}
