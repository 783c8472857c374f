package dev.vestibule.tests.bff;

import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.BffRoute;
import java.util.List;

/** A module as a module jar ships it: public, with a public no-argument constructor, listed in META-INF/services. */
public final class DiscoveredModule implements BffModule {
    @Override
    public String client() {
        return "found";
    }

    @Override
    public List<BffRoute<?, ?, ?>> routes() {
        return List.of(BffRoute.get("/found/me", FixtureOperations.ME)
                .shape(FixtureModules.WhoAmI.class, data -> new FixtureModules.WhoAmI(data.me() == null ? null : data.me().username())));
    }
}
