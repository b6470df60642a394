package org.dhis2.sync.sandbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one emulated DHIS2 (a "local" or the "central"): its version, user, clock, metadata and data
 * stores, scripted faults and the log of requests it received. Thread-safe; served by {@link SandboxServer}.
 */
public final class Dhis2Instance {

    public static final String DEFAULT_USERNAME = "admin";
    public static final String DEFAULT_PASSWORD = "district";

    private final String name;
    private volatile Dhis2Version version;
    private volatile String username;
    private volatile String password;
    private final Set<String> apiTokens = ConcurrentHashMap.newKeySet();
    private final List<String> userAuthorities = new CopyOnWriteArrayList<>(List.of("ALL"));
    private final List<String> userOrgUnits = new CopyOnWriteArrayList<>();
    private final List<String> userSearchOrgUnits = new CopyOnWriteArrayList<>();
    private final String systemId = java.util.UUID.randomUUID().toString();
    private final SandboxClock clock = new SandboxClock();
    private final FaultPlan faults = new FaultPlan();
    private final RequestLog requests = new RequestLog();
    private final LinkLine link = new LinkLine();
    private final MetadataCatalog catalog = new MetadataCatalog(clock);
    private final AggregateStore aggregate;
    private final TrackerStore tracker;
    private final MetadataVersionStore metadataVersions;
    private final ReservedValueStore reservedValues;
    private final TrackerOwnership trackerOwnership = new TrackerOwnership(clock);
    private final AtomicLong requestCounter = new AtomicLong();
    private final java.util.Map<String, String> systemSettings = new ConcurrentHashMap<>();

    public Dhis2Instance(String name, Dhis2Version version) {
        this.name = name;
        this.version = version;
        this.username = DEFAULT_USERNAME;
        this.password = DEFAULT_PASSWORD;
        this.aggregate = new AggregateStore(this);
        this.tracker = new TrackerStore(this);
        this.metadataVersions = new MetadataVersionStore(this);
        this.reservedValues = new ReservedValueStore(this);
    }

    public String name() {
        return name;
    }

    public Dhis2Version version() {
        return version;
    }

    public void setVersion(Dhis2Version version) {
        this.version = version;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public void setCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** Issues a personal access token in the version's format (d2pat_ before 2.41, d2p_ from 2.41). */
    public String issueApiToken() {
        String token = ApiTokens.generate(version);
        apiTokens.add(token);
        return token;
    }

    public boolean isValidApiToken(String token) {
        return apiTokens.contains(token);
    }

    /** Authorities of the sandbox user (default {@code ALL}). */
    public List<String> userAuthorities() {
        return userAuthorities;
    }

    /** UIDs of the user's root org units (data capture), as {@code /api/me} reports them. */
    public List<String> userOrgUnits() {
        return userOrgUnits;
    }

    /**
     * UIDs of the user's tracked entity search org units ({@code teiSearchOrganisationUnits} of {@code /api/me});
     * empty: DHIS2 falls back to the data capture ones.
     */
    public List<String> userSearchOrgUnits() {
        return userSearchOrgUnits;
    }

    /**
     * Test helper: makes these the user's data capture org units (the CAPTURE scope of tracker exports, and the
     * scope PROTECTED/CLOSED programs' ownership needs). No units: the user sees the whole hierarchy.
     */
    public void setUserCaptureOrgUnits(String... orgUnits) {
        userOrgUnits.clear();
        userOrgUnits.addAll(List.of(orgUnits));
    }

    /**
     * Test helper: makes these the user's tracked entity search org units (the ACCESSIBLE scope, and the scope
     * OPEN/AUDITED programs' ownership needs); none: the capture org units are used.
     */
    public void setUserSearchOrgUnits(String... orgUnits) {
        userSearchOrgUnits.clear();
        userSearchOrgUnits.addAll(List.of(orgUnits));
    }

    /**
     * Test helper: whether the user has the authority {@code ALL}. DHIS2 skips every ownership check for a
     * superuser (and refuses to grant one an ownership override), so ownership rules only bite with false.
     */
    public void setSuperuser(boolean superuser) {
        userAuthorities.remove("ALL");
        if (superuser) {
            userAuthorities.add("ALL");
        }
    }

    /**
     * Test helper: sets a program's {@code accessLevel} (OPEN, AUDITED, PROTECTED or CLOSED), as served by
     * {@code /api/programs} and applied by the tracker exports and the ownership override.
     */
    public void setProgramAccessLevel(String program, String accessLevel) {
        if (!java.util.Set.of("OPEN", "AUDITED", "PROTECTED", "CLOSED").contains(accessLevel)) {
            throw new IllegalArgumentException("no such accessLevel: " + accessLevel);
        }
        var node = catalog.get("programs", program)
                .orElseThrow(() -> new IllegalArgumentException("no program " + program)).deepCopy();
        catalog.put("programs", node.put("accessLevel", accessLevel));
    }

    /**
     * Program ownership on this instance: explicit owners ({@link TrackerOwnership#setOwner}) and the temporary
     * ownership overrides granted ({@link TrackerOwnership#overrides()}).
     */
    public TrackerOwnership trackerOwnership() {
        return trackerOwnership;
    }

    public String systemId() {
        return systemId;
    }

    public SandboxClock clock() {
        return clock;
    }

    public FaultPlan faults() {
        return faults;
    }

    public RequestLog requests() {
        return requests;
    }

    /** The emulated link (and proxy) in front of this instance; {@link Link#LAN} (none) by default. */
    public Link link() {
        return link.link();
    }

    /** Puts this instance behind the link from its next request on (requests being served keep theirs). */
    public void setLink(Link link) {
        this.link.set(link);
    }

    /** Requests and bytes that crossed the link (both directions, heads included) since the last reset. */
    public LinkLine.Traffic linkTraffic() {
        return link.traffic();
    }

    public void resetLinkTraffic() {
        link.resetTraffic();
    }

    /**
     * Waits until this instance serves no request (after a proxy 504 the handler goes on working); false if it
     * still does after the timeout.
     */
    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        return link.awaitIdle(timeout);
    }

    LinkLine linkLine() {
        return link;
    }

    public MetadataCatalog catalog() {
        return catalog;
    }

    public AggregateStore aggregate() {
        return aggregate;
    }

    public TrackerStore tracker() {
        return tracker;
    }

    public MetadataVersionStore metadataVersions() {
        return metadataVersions;
    }

    public ReservedValueStore reservedValues() {
        return reservedValues;
    }

    /**
     * System settings by DHIS2 key ({@code keyRemoteInstanceUrl}, {@code keyRemoteInstanceUsername},
     * {@code keyRemoteInstancePassword}, {@code keyStopMetadataSync}); a missing key has DHIS2's default.
     */
    public java.util.Map<String, String> systemSettings() {
        return systemSettings;
    }

    long nextRequestNumber() {
        return requestCounter.incrementAndGet();
    }

    /** Every endpoint this instance serves. */
    Router routes() {
        Router router = new Router();
        SystemApi.register(router, this);
        AggregateApi.register(router, this);
        TrackerApi.register(router, this);
        TrackerOwnershipApi.register(router, this);
        MetadataVersionApi.register(router, this);
        MetadataSyncApi.register(router, this);
        ReservedValueApi.register(router, this);
        MetadataListApi.register(router, this); // last: its /api/{collection} templates match any path
        return router;
    }
}
