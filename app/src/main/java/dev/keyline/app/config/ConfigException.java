package dev.keyline.app.config;

/** A configuration file that cannot be used; the message names the key path and what was expected. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    static ConfigException at(String path, String problem) {
        return new ConfigException(path.isEmpty() ? problem : path + ": " + problem);
    }
}
