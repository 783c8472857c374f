/**
 * The mobile BFF: its routes live here. Its operations are {@code src/main/graphql/*.graphql}; the build generates
 * their classes into {@code dev.vestibule.bff.mobile.graphql} and the persisted-operation manifest into
 * {@code META-INF/vestibule/bff/mobile/persisted-operations.json}.
 */
package dev.vestibule.bff.mobile;
