package org.dhis2.sync.sandbox;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The little of DHIS2's schema the sandbox's metadata import needs: the Java class ("klass") of each collection,
 * as ImportReports name it, and which properties are references to which collection.
 */
final class MetadataSchema {

    private static final Map<String, String> KLASS = Map.ofEntries(
            Map.entry("organisationUnits", "org.hisp.dhis.organisationunit.OrganisationUnit"),
            Map.entry("organisationUnitLevels", "org.hisp.dhis.organisationunit.OrganisationUnitLevel"),
            Map.entry("organisationUnitGroups", "org.hisp.dhis.organisationunit.OrganisationUnitGroup"),
            Map.entry("organisationUnitGroupSets", "org.hisp.dhis.organisationunit.OrganisationUnitGroupSet"),
            Map.entry("dataElements", "org.hisp.dhis.dataelement.DataElement"),
            Map.entry("dataElementGroups", "org.hisp.dhis.dataelement.DataElementGroup"),
            Map.entry("dataSets", "org.hisp.dhis.dataset.DataSet"),
            Map.entry("categoryOptions", "org.hisp.dhis.category.CategoryOption"),
            Map.entry("categories", "org.hisp.dhis.category.Category"),
            Map.entry("categoryCombos", "org.hisp.dhis.category.CategoryCombo"),
            Map.entry("categoryOptionCombos", "org.hisp.dhis.category.CategoryOptionCombo"),
            Map.entry("programs", "org.hisp.dhis.program.Program"),
            Map.entry("programStages", "org.hisp.dhis.program.ProgramStage"),
            Map.entry("programStageSections", "org.hisp.dhis.program.ProgramStageSection"),
            Map.entry("programIndicators", "org.hisp.dhis.program.ProgramIndicator"),
            Map.entry("programRules", "org.hisp.dhis.programrule.ProgramRule"),
            Map.entry("programRuleVariables", "org.hisp.dhis.programrule.ProgramRuleVariable"),
            Map.entry("trackedEntityTypes", "org.hisp.dhis.trackedentity.TrackedEntityType"),
            Map.entry("trackedEntityAttributes", "org.hisp.dhis.trackedentity.TrackedEntityAttribute"),
            Map.entry("relationshipTypes", "org.hisp.dhis.relationship.RelationshipType"),
            Map.entry("optionSets", "org.hisp.dhis.option.OptionSet"),
            Map.entry("options", "org.hisp.dhis.option.Option"),
            Map.entry("indicators", "org.hisp.dhis.indicator.Indicator"),
            Map.entry("indicatorTypes", "org.hisp.dhis.indicator.IndicatorType"),
            Map.entry("attributes", "org.hisp.dhis.attribute.Attribute"),
            Map.entry("legendSets", "org.hisp.dhis.legend.LegendSet"),
            Map.entry("users", "org.hisp.dhis.user.User"),
            Map.entry("userRoles", "org.hisp.dhis.user.UserRole"),
            Map.entry("userGroups", "org.hisp.dhis.user.UserGroup"));

    /** Property name → collection it references (as {@code {"id":…}} or a list of them). */
    private static final Map<String, String> REFERENCES = Map.ofEntries(
            Map.entry("categoryCombo", "categoryCombos"),
            Map.entry("categories", "categories"),
            Map.entry("categoryOptions", "categoryOptions"),
            Map.entry("categoryOptionCombos", "categoryOptionCombos"),
            Map.entry("dataElement", "dataElements"),
            Map.entry("dataSet", "dataSets"),
            Map.entry("program", "programs"),
            Map.entry("programStage", "programStages"),
            Map.entry("programStages", "programStages"),
            Map.entry("organisationUnits", "organisationUnits"),
            Map.entry("dataViewOrganisationUnits", "organisationUnits"),
            Map.entry("teiSearchOrganisationUnits", "organisationUnits"),
            Map.entry("parent", "organisationUnits"),
            Map.entry("trackedEntityType", "trackedEntityTypes"),
            Map.entry("trackedEntityAttribute", "trackedEntityAttributes"),
            Map.entry("optionSet", "optionSets"),
            Map.entry("commentOptionSet", "optionSets"),
            Map.entry("options", "options"),
            Map.entry("indicatorType", "indicatorTypes"),
            Map.entry("attribute", "attributes"),
            Map.entry("userRoles", "userRoles"),
            Map.entry("userGroups", "userGroups"),
            Map.entry("user", "users"),
            Map.entry("lastUpdatedBy", "users"),
            Map.entry("createdBy", "users"));

    /**
     * User references DHIS2's ReferencesCheck.checkReference never reports as E5002 (its "HACK" until users are
     * identified by uuid): a metadata export carries central's users, the receiving server need not have them.
     */
    static final Set<String> USER_REFERENCES = Set.of("user", "lastUpdatedBy", "createdBy");

    /** UIDs of DHIS2's built-in "default" category model: always present, never reported as missing. */
    static final Set<String> DEFAULT_UIDS = Set.of("bjDvmb4bfuf", "GLevLNI9wkl", "xYerKDKCefk", "HllvX50cXC0");

    private MetadataSchema() {
    }

    /** DHIS2's class name for a collection; unknown collections get a made-up class in the same style. */
    static String klass(String collection) {
        String known = KLASS.get(collection);
        if (known != null) {
            return known;
        }
        String singular = collection.endsWith("s") ? collection.substring(0, collection.length() - 1) : collection;
        return "org.hisp.dhis.common." + Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }

    static String simpleName(String collection) {
        String k = klass(collection);
        return k.substring(k.lastIndexOf('.') + 1);
    }

    static Optional<String> referencedCollection(String property) {
        return Optional.ofNullable(REFERENCES.get(property));
    }
}
