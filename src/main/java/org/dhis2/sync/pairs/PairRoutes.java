package org.dhis2.sync.pairs;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.dhis2.sync.job.JobScheduleRoutes;

/**
 * The routes of every sync pair, created by Camel from the route templates when it loads them: each template whose
 * one parameter is {@value #PAIR} once per pair (route id {@code <pair>.<template id>}), and the pairs' schedule
 * routes ({@link JobScheduleRoutes}). A pair's own values of keys that differ from the engine's (its local.url,
 * central.url, page sizes...) are given to its routes as template parameters, so {@code {{local.url}}} in a
 * template is the pair's.
 */
public final class PairRoutes implements RouteTemplateParameterSource {

    public static final String PAIR = "pair";
    private final Map<String, PairBeans> pairs;
    private final Properties engine;
    private final JobScheduleRoutes schedules;
    private final Supplier<CamelContext> context;
    private volatile Map<String, Map<String, Object>> routes;

    public PairRoutes(Map<String, PairBeans> pairs, Properties engine, JobScheduleRoutes schedules,
                      Supplier<CamelContext> context) {
        this.pairs = pairs;
        this.engine = engine;
        this.schedules = schedules;
        this.context = context;
    }

    @Override
    public Set<String> routeIds() {
        return new LinkedHashSet<>(routes().keySet());
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        return new LinkedHashMap<>(routes().get(routeId));
    }

    /** Templates are read when Camel first asks (after it loaded every route file), not when this bean is made. */
    private synchronized Map<String, Map<String, Object>> routes() {
        if (routes == null) {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>();
            for (RouteTemplateDefinition template : ((ModelCamelContext) context.get()).getRouteTemplateDefinitions()) {
                if (isPairTemplate(template)) {
                    pairs.values().forEach(pair -> all.put(pair.name() + "." + template.getId(),
                            parameters(pair, template.getId())));
                }
            }
            schedules.routeIds().forEach(id -> all.put(id, schedules.parameters(id)));
            routes = all;
        }
        return routes;
    }

    /** A template instantiated per pair: its only parameter is the pair. */
    static boolean isPairTemplate(RouteTemplateDefinition template) {
        return template.getTemplateParameters() != null && template.getTemplateParameters().size() == 1
                && PAIR.equals(template.getTemplateParameters().get(0).getName());
    }

    private Map<String, Object> parameters(PairBeans pair, String templateId) {
        Map<String, Object> p = new LinkedHashMap<>();
        Properties own = pair.settings().properties();
        for (String key : own.stringPropertyNames()) {
            if (!Objects.equals(own.getProperty(key), engine.getProperty(key))) {
                p.put(key, own.getProperty(key));
            }
        }
        p.put(TEMPLATE_ID, templateId);
        p.put(PAIR, pair.name());
        return p;
    }
}
