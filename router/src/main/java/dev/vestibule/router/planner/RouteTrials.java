package dev.vestibule.router.planner;

import dev.vestibule.router.planner.JumpRoutes.KeyRoute;
import dev.vestibule.router.planner.OperationWalker.ParentRoute;
import graphql.schema.GraphQLObjectType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route choices of one walk ({@link OperationWalker}): where a field can be reached several ways, which way each
 * place took, the budgets of trial walks left to weigh such choices, and, on a trial walk, what the trial forces (the
 * root subgraph) and prefers (the route under trial). A trial walk is a walk of its own, handed its {@code RouteTrials}
 * ({@link #rootTrial}, {@link #routeTrial}): it has no budget left, so trials never nest. Kept apart from the walk so
 * that the walk's own state (where it is in the operation) and the state of its choices (what it decided, what it
 * may still weigh) are each in one place.
 */
final class RouteTrials {
    /** The most trial walks {@link #cheapestRoute} makes for one operation. */
    static final int TRIALS = 6;
    /** The most options {@link #cheapestRoute} weighs at one field, besides {@link #PARENT_ROUTE}. */
    static final int ROUTES = 4;
    /** The option of {@link #cheapestRoute} that goes back to the entity parent through a key others bring first. */
    static final int PARENT_ROUTE = -1;
    /** The most trial walks {@link #weighParentRoute} makes for one operation, two per field weighed. */
    static final int PARENT_TRIALS = 4;
    /** The most trial walks {@link #refined} makes for one operation. */
    static final int REFINEMENT_TRIALS = 24;

    /**
     * Walks the root field being planned again with a trial's choices, optimized on its own: the cost of its plan, or
     * null when it cannot be planned so.
     */
    @FunctionalInterface
    interface TrialWalk {
        PlanCost cost(RouteTrials trial, RootField root, GraphQLObjectType rootType);
    }

    /** Set on a trial walk: the root subgraph the field under trial goes to. */
    private final String forcedRoot;
    /** On a trial walk of a route: the subgraph and key it goes through ({@link KeyRoute#through}), tried first elsewhere. */
    private final String preferredRoute;
    /** Trial walks left for {@link #cheapestRoute}; none on a trial walk, which chooses nothing itself. */
    private int trialsLeft;
    /** Trial walks left for {@link #weighParentRoute}; none on a trial walk. */
    private int parentTrialsLeft;
    /** The route taken at each field reached without a key of its own ({@link #cheapestRoute}), by where it is asked. */
    private final Map<String, Integer> choices;
    /**
     * The route {@link #cheapestRoute} chose for a field, by subgraph, type, field name and path (whatever is asked
     * below it): tried first where the same field is met again at the same place once the trials are used up.
     */
    private final Map<String, String> routeOfField = new HashMap<>();
    /** The routes {@link #cheapestRoute} chose for any field by subgraph, type and path: see {@link #preferredThrough}. */
    private final Map<String, Set<String>> routesAtPlace = new HashMap<>();
    /** The subgraph a field jumped to through a key it sends, by fetch, path, type and response key: see {@link #jumpedBefore}. */
    private final Map<String, String> jumpedTo = new HashMap<>();
    /**
     * Set on a walk seeded with choices ({@link #seeded}) and on {@link #refined}'s trial walks: where a chosen route is
     * taken, it is remembered as {@link #cheapestRoute}'s choice is ({@link #tookRoute}), so that fields without a choice
     * follow it as they did on the walk that chose it.
     */
    private final boolean replaysRoutes;
    /** Set on the operation's own walk only: it records its {@link #decisions}. */
    private final boolean recordsDecisions;
    /**
     * The places where {@link #cheapestRoute} chose, or found its trials used up, on the operation's own walk, in
     * order: what {@link #refined} weighs again.
     */
    private final List<Decision> decisions = new ArrayList<>();

    /** One place of {@link #cheapestRoute}: its site, the options there, and the root field it was met in. */
    private record Decision(String site, List<Integer> options, RootField root, GraphQLObjectType rootType, String rootSubgraph) {}

    /** The root field being planned, its type and its one root subgraph: what a trial walk of a route walks again. */
    private RootField currentRoot;
    private GraphQLObjectType currentRootType;
    private String currentRootSubgraph;

    private RouteTrials(String forcedRoot, String preferredRoute, int trialsLeft, int parentTrialsLeft, Map<String, Integer> choices) {
        this(forcedRoot, preferredRoute, trialsLeft, parentTrialsLeft, choices, false, false);
    }

    private RouteTrials(String forcedRoot, String preferredRoute, int trialsLeft, int parentTrialsLeft, Map<String, Integer> choices,
                        boolean replaysRoutes, boolean recordsDecisions) {
        this.replaysRoutes = replaysRoutes;
        this.recordsDecisions = recordsDecisions;
        this.forcedRoot = forcedRoot;
        this.preferredRoute = preferredRoute;
        this.trialsLeft = trialsLeft;
        this.parentTrialsLeft = parentTrialsLeft;
        this.choices = choices;
    }

    /** The choices of an operation's own walk: every budget full, nothing chosen yet. */
    static RouteTrials forOperation() {
        return new RouteTrials(null, null, TRIALS, PARENT_TRIALS, new HashMap<>(), false, true);
    }

    /**
     * The choices of an operation's walk that takes {@code choices} ({@link #refined}'s) where it meets their sites,
     * every budget full for the sites it meets that they do not hold.
     */
    static RouteTrials seeded(Map<String, Integer> choices) {
        return new RouteTrials(null, null, TRIALS, PARENT_TRIALS, new HashMap<>(choices), true, false);
    }

    /** Whether a chosen route is remembered where it is taken: see {@link #replaysRoutes}. */
    boolean replaysRoutes() {
        return replaysRoutes;
    }

    /** The choices of a trial walk that plans a root field from {@code root}: nothing chosen, no trials of its own. */
    static RouteTrials rootTrial(String root) {
        return new RouteTrials(root, null, 0, 0, new HashMap<>());
    }

    /**
     * The choices of a trial walk of the root field being planned, from the same root subgraph: the choices made so far,
     * {@code option} taken at {@code site}, routes through {@code preferred} first where it meets a field without a
     * choice, and no trials of its own.
     */
    private RouteTrials routeTrial(String site, int option, String preferred) {
        Map<String, Integer> trialChoices = new HashMap<>(choices);
        trialChoices.put(site, option);
        return new RouteTrials(currentRootSubgraph, preferred, 0, 0, trialChoices);
    }

    /** The root subgraph this (trial) walk must plan the root field from, or null when it chooses. */
    String forcedRoot() {
        return forcedRoot;
    }

    /** The walk starts planning {@code root}, on {@code rootType}: what a trial walk of a route walks again. */
    void planning(RootField root, GraphQLObjectType rootType) {
        currentRoot = root;
        currentRootType = rootType;
    }

    /** The root field being planned goes to {@code subgraph}: a trial walk of a route plans it from there again. */
    void rootSubgraph(String subgraph) {
        currentRootSubgraph = subgraph;
    }

    /** The walk is done with the root field: no route of another is weighed by walking this one again. */
    void planned() {
        currentRoot = null;
        currentRootSubgraph = null;
    }

    /** The option chosen at {@code site} (by a trial here, or given to this trial walk), or null when none was. */
    Integer chosen(String site) {
        return choices.get(site);
    }

    /** The subgraph the field at {@code jumpSite} jumped to before through a key sent from here, or null. */
    String jumpedBefore(String jumpSite) {
        return jumpedTo.get(jumpSite);
    }

    /** The field at {@code jumpSite} jumped to {@code subgraph} (the first jump there is the one remembered). */
    void jumped(String jumpSite, String subgraph) {
        jumpedTo.putIfAbsent(jumpSite, subgraph);
    }

    /** {@link #cheapestRoute} chose the route through {@code through} for the field at {@code fieldSite}, at {@code placeSite}. */
    void tookRoute(String fieldSite, String placeSite, String through) {
        routeOfField.put(fieldSite, through);
        routesAtPlace.computeIfAbsent(placeSite, k -> new LinkedHashSet<>()).add(through);
    }

    /**
     * For a field without a choice of its own, the routes ({@link KeyRoute#through}) to try first: where the trials sent
     * the same field before at this place, else where they sent another field here, else (a trial walk) the route
     * under trial; null when there are none.
     */
    Set<String> preferredThrough(String fieldSite, String placeSite) {
        if (routeOfField.containsKey(fieldSite)) return Set.of(routeOfField.get(fieldSite));
        if (routesAtPlace.containsKey(placeSite)) return routesAtPlace.get(placeSite);
        if (preferredRoute != null) return Set.of(preferredRoute);
        return null;
    }

    /**
     * Of the ways to reach a field that the current subgraph has no key for (option 0: through the entity parent, when
     * {@code throughParent}; option i: the i-th of {@code routes}; {@link #PARENT_ROUTE}: {@code parentRoute}, when
     * there is one), the one whose plan costs least ({@link PlanCost}): the root field being planned is walked again
     * for each, with the choices made so far and this one. On a tie the first (the order the walk would take) wins;
     * null when none can be planned this way or the operation's trials are used up ({@link #TRIALS}), which bounds
     * planning time (at most {@link #ROUTES} options each). Trial walks choose nothing themselves: where they meet
     * another such field they take the first that works, routes through the subgraph and key under trial first
     * ({@code selected { category { tag } } selected { price }} both through price's key: one fetch there, which
     * weighing each field alone with the other's first route misses).
     */
    Integer cheapestRoute(String site, List<KeyRoute> routes, boolean throughParent, ParentRoute parentRoute, TrialWalk walk) {
        if (currentRoot == null || currentRootSubgraph == null || (trialsLeft <= 0 && !recordsDecisions)) return null;
        List<Integer> options = new ArrayList<>();
        for (int option = throughParent ? 0 : 1; option < Math.min(routes.size() + 1, ROUTES); option++) options.add(option);
        // last: on a tie the routes the walk took before it win
        if (parentRoute != null) options.add(PARENT_ROUTE);
        // weighed in part, the choice would be of the options that happened to come first: the walk's own order does
        // as well, and the routes taken before at this place go first there (see OperationWalker.jump); refined weighs
        // it after the walk, within its own budget
        if (trialsLeft < options.size()) {
            if (recordsDecisions) decisions.add(new Decision(site, List.copyOf(options), currentRoot, currentRootType, currentRootSubgraph));
            return null;
        }
        Integer best = null;
        PlanCost least = null;
        for (int option : options) {
            trialsLeft--;
            String preferred = switch (option) {
                case PARENT_ROUTE -> parentRoute.through();
                case 0 -> null;
                default -> routes.get(option - 1).through();
            };
            PlanCost cost = walk.cost(routeTrial(site, option, preferred), currentRoot, currentRootType);
            if (cost == null) continue;
            if (least == null || cost.compareTo(least) < 0) {
                least = cost;
                best = option;
            }
        }
        if (best != null) {
            choices.put(site, best);
            if (recordsDecisions) decisions.add(new Decision(site, List.copyOf(options), currentRoot, currentRootType, currentRootSubgraph));
        }
        return best;
    }

    /**
     * The operation's choices with those at the places {@link #cheapestRoute} met weighed again now that all are known,
     * or null when none changed. Each was weighed in document order, the fields after it taking the route under trial
     * or their walk's first, and a place met after the trials ran out was not weighed at all: a field asked under a
     * condition that chose its route before an unconditional one at the same place could not see that the other's
     * route makes its own cheaper ({@code first @include(if: $v) { price { price } } first { pid }} in
     * complex-entity-call: first via list, then Product's key to price, which needs category from products, 5 fetches;
     * in the other order 4, as Apollo's planner), and a cheaper plan can need several places changed at once (three
     * fields of topProducts all through price's ProductList key). For each root field met at two places or more: every
     * combination of their options where they fit in the trials left, else each place's options in turn with the
     * others held (twice over at most); a strictly cheaper plan of the root field is kept. At most
     * {@link #REFINEMENT_TRIALS} trial walks in all.
     */
    Map<String, Integer> refined(TrialWalk walk) {
        Map<RootField, Map<String, Decision>> byRoot = new LinkedHashMap<>();
        for (Decision decision : decisions) byRoot.computeIfAbsent(decision.root(), k -> new LinkedHashMap<>()).putIfAbsent(decision.site(), decision);
        Map<String, Integer> assignment = new HashMap<>(choices);
        int[] trials = {REFINEMENT_TRIALS};
        boolean changedAny = false;
        for (Map<String, Decision> places : byRoot.values()) {
            if (places.size() < 2 || trials[0] <= 0) continue;
            List<Decision> ofRoot = List.copyOf(places.values());
            Decision first = ofRoot.get(0);
            trials[0]--;
            PlanCost least = walk.cost(refinementTrial(first.rootSubgraph(), assignment), first.root(), first.rootType());
            if (least == null) continue;
            long combinations = 1;
            for (Decision decision : ofRoot) combinations = Math.min(Long.MAX_VALUE / 8, combinations * decision.options().size());
            Refinement best = new Refinement(assignment, least);
            if (combinations <= trials[0]) {
                best = everyCombination(ofRoot, 0, new HashMap<>(assignment), best, walk, trials);
            } else {
                for (int round = 0; round < 2; round++) {
                    Refinement before = best;
                    for (Decision decision : ofRoot) {
                        for (int option : decision.options()) {
                            if (Integer.valueOf(option).equals(best.assignment().get(decision.site())) || trials[0] <= 0) continue;
                            Map<String, Integer> tried = new HashMap<>(best.assignment());
                            tried.put(decision.site(), option);
                            best = cheaper(best, tried, first, walk, trials);
                        }
                    }
                    if (best == before) break;
                }
            }
            if (best.assignment() != assignment) {
                assignment = best.assignment();
                changedAny = true;
            }
        }
        return changedAny ? assignment : null;
    }

    /** An assignment of route choices and the cost of the root field's plan with it. */
    private record Refinement(Map<String, Integer> assignment, PlanCost cost) {}

    /** The cheapest of {@code best} and every assignment of options to {@code places} from {@code index} on. */
    private Refinement everyCombination(List<Decision> places, int index, Map<String, Integer> tried, Refinement best, TrialWalk walk,
                                        int[] trials) {
        if (index == places.size()) {
            return tried.equals(best.assignment()) ? best : cheaper(best, new HashMap<>(tried), places.get(0), walk, trials);
        }
        Decision place = places.get(index);
        for (int option : place.options()) {
            tried.put(place.site(), option);
            best = everyCombination(places, index + 1, tried, best, walk, trials);
        }
        return best;
    }

    /** {@code tried} when the root field's plan with it costs strictly less than {@code best}'s (one trial walk), else best. */
    private static Refinement cheaper(Refinement best, Map<String, Integer> tried, Decision of, TrialWalk walk, int[] trials) {
        if (trials[0] <= 0) return best;
        trials[0]--;
        PlanCost cost = walk.cost(refinementTrial(of.rootSubgraph(), tried), of.root(), of.rootType());
        return cost != null && cost.compareTo(best.cost()) < 0 ? new Refinement(tried, cost) : best;
    }

    /** A trial walk of a root field from {@code root} that takes {@code assignment} where it meets its sites, remembering the routes. */
    private static RouteTrials refinementTrial(String root, Map<String, Integer> assignment) {
        return new RouteTrials(root, null, 0, 0, new HashMap<>(assignment), true, false);
    }

    /** Whether {@link #weighParentRoute} may weigh a parent route: a root field being planned, two parent trials left. */
    boolean canWeighParentRoute() {
        return currentRoot != null && currentRootSubgraph != null && parentTrialsLeft >= 2;
    }

    /**
     * Whether going back to a parent at {@code site} (option 0) costs less than the key the current subgraph can send
     * (option 1), by two trial walks of the root field being planned; the answer is the choice at the site from then
     * on. These trials are not taken from {@link #TRIALS}: spent there on ties, they left later fields' routes
     * unweighed (complex-entity-call planned 5 and 6 fetches where it plans 4).
     */
    boolean weighParentRoute(String site, TrialWalk walk) {
        parentTrialsLeft -= 2;
        PlanCost direct = walk.cost(routeTrial(site, 1, null), currentRoot, currentRootType);
        PlanCost parent = walk.cost(routeTrial(site, 0, null), currentRoot, currentRootType);
        boolean wins = direct != null && parent != null && parent.compareTo(direct) < 0;
        choices.put(site, wins ? 0 : 1);
        return wins;
    }
}
