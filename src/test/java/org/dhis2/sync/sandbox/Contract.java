package org.dhis2.sync.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rows of the sandbox's contract table (src/main/java/org/dhis2/sync/sandbox/CONTRACT.md) a test checks. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Contract {
    String[] value();
}
