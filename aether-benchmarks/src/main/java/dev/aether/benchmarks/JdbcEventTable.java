package dev.aether.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.Event;
import dev.aether.VersionConflictException;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDBC peer of {@link CommandPathBenchmark}: one PostgreSQL table of events, used the way a
 * user's own JDBC event store would use it. A save is an {@code INSERT} whose primary key
 * {@code (actor_id, version)} turns a second save of a version into a unique-key violation, the
 * version conflict; the latest version is {@code max(version)}; a reload selects an actor's rows in
 * version order and builds real {@link Event}s from them.
 */
final class JdbcEventTable {

    /** The environment variable that names another database (it reaches JMH's forked JVMs). */
    static final String URL_ENV = "AETHER_BENCH_JDBC_URL";
    /** The local PostgreSQL of the development machine: trust authentication, user {@code postgres}. */
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };
    private static final int COPY_CHUNK = 10_000;

    private final String table;
    private final String insert;
    private final String latestVersion;
    private final String eventsAfter;

    /** @param table the table's name, unique per trial ({@code [a-z0-9_]+}) */
    JdbcEventTable(String table) {
        if (!table.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("table must match [a-z0-9_]+, was '" + table + "'");
        }
        this.table = table;
        this.insert = "insert into " + table
                + " (actor_id, version, event_id, event_type, data, metadata, \"timestamp\")"
                + " values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)";
        this.latestVersion = "select max(version) from " + table + " where actor_id = ?";
        this.eventsAfter = "select event_id, event_type, actor_id, version, data, metadata, \"timestamp\" from "
                + table + " where actor_id = ? and version > ? order by version";
    }

    /** @return the JDBC URL of the database: {@value #URL_ENV} if set, else {@value #DEFAULT_URL} */
    static String url() {
        String url = System.getenv(URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /**
     * @param url a JDBC URL
     * @return why no database answers there, or empty if one does
     */
    static Optional<String> unreachable(String url) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("select 1");
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("no PostgreSQL at " + url + " (" + e.getMessage() + ")");
        }
    }

    /**
     * @param url a JDBC URL
     * @return the database's {@code synchronous_commit} setting, which decides what a committed insert waited for
     * @throws SQLException if the database cannot be read
     */
    static String synchronousCommit(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * @param url a JDBC URL
     * @return a new auto-commit connection
     * @throws SQLException if the database cannot be reached
     */
    static Connection connect(String url) throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(url);
    }

    /** @return the table's name */
    String name() {
        return table;
    }

    /** Creates the table. */
    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table " + table + " (actor_id text not null, version bigint not null,"
                    + " event_id text not null, event_type text not null, data jsonb not null, metadata jsonb not null,"
                    + " \"timestamp\" timestamptz not null, primary key (actor_id, version))");
        }
    }

    /** Drops the table. */
    void drop(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop table if exists " + table);
        }
    }

    /** Loads many events with {@code COPY}, in chunks, then updates the planner's statistics. */
    void copy(Connection c, Iterator<Event> events) throws SQLException, IOException {
        String copy = "copy " + table + " (actor_id, version, event_id, event_type, data, metadata, \"timestamp\")"
                + " from stdin with (format csv)";
        while (events.hasNext()) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < COPY_CHUNK && events.hasNext(); i++) {
                Event e = events.next();
                csv.append(quoted(e.actorId())).append(',').append(e.version()).append(',')
                        .append(quoted(e.id())).append(',').append(quoted(e.eventType())).append(',')
                        .append(quoted(json(e.data()))).append(',').append(quoted(json(e.metadata()))).append(',')
                        .append(quoted(e.timestamp().toString())).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(csv.toString()));
        }
        try (Statement s = c.createStatement()) {
            s.execute("analyze " + table);
        }
    }

    /**
     * Saves one event: one {@code INSERT}, committed (auto-commit).
     *
     * @throws VersionConflictException if the actor already has this version (the primary key refused it)
     */
    void save(Connection c, Event event) throws SQLException {
        try (PreparedStatement insertEvent = c.prepareStatement(insert)) {
            insertEvent.setString(1, event.actorId());
            insertEvent.setLong(2, event.version());
            insertEvent.setString(3, event.id());
            insertEvent.setString(4, event.eventType());
            insertEvent.setString(5, json(event.data()));
            insertEvent.setString(6, json(event.metadata()));
            insertEvent.setObject(7, event.timestamp().atOffset(java.time.ZoneOffset.UTC));
            insertEvent.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new VersionConflictException(event.actorId(), event.version(), latestVersion(c, event.actorId()));
            }
            throw e;
        }
    }

    /** @return the actor's latest version, 0 if it has no events */
    long latestVersion(Connection c, String actorId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(latestVersion)) {
            select.setString(1, actorId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** @return the actor's events above {@code afterVersion}, in version order, each a validated {@link Event} */
    List<Event> eventsAfter(Connection c, String actorId, long afterVersion) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(eventsAfter)) {
            select.setString(1, actorId);
            select.setLong(2, afterVersion);
            try (ResultSet rs = select.executeQuery()) {
                List<Event> events = new ArrayList<>();
                while (rs.next()) {
                    events.add(Event.builder().id(rs.getString(1)).eventType(rs.getString(2)).actorId(rs.getString(3))
                            .version(rs.getLong(4)).data(JSON.readValue(rs.getString(5), DATA))
                            .metadata(JSON.readValue(rs.getString(6), METADATA))
                            .timestamp(rs.getObject(7, OffsetDateTime.class).toInstant()).build());
                }
                return events;
            } catch (JsonProcessingException e) {
                throw new SQLException("Row of actor '" + actorId + "' in " + table + " holds invalid JSON", e);
            }
        }
    }

    /** Deletes the actor's events at or below {@code version} (the benchmark keeps one actor at a fixed size). */
    void deleteUpTo(Connection c, String actorId, long version) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("delete from " + table + " where actor_id = ? and version <= ?")) {
            delete.setString(1, actorId);
            delete.setLong(2, version);
            delete.executeUpdate();
        }
    }

    private static String json(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + value, e);
        }
    }

    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
