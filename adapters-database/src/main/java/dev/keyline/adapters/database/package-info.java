/**
 * {@link dev.keyline.ports.out.KeyStore} and {@link dev.keyline.ports.out.SpendLog} on plain JDBC: an embedded SQLite
 * file or PostgreSQL, migrated by Flyway from one set of scripts, through a HikariCP pool.
 */
package dev.keyline.adapters.database;
