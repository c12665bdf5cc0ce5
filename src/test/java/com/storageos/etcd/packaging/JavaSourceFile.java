package com.storageos.etcd.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Java source file with comments and string literals blanked out, so that regular expressions
 * only see code, plus just enough name resolution to turn a simple class name into a loaded class.
 */
final class JavaSourceFile {

    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\])+'|//[^\\n]*|/\\*[\\s\\S]*?\\*/");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+([\\w.]+?)(\\.\\*)?\\s*;", Pattern.MULTILINE);

    private final Path path;
    private final String code;
    private final String packageName;
    private final Map<String, String> singleImports = new HashMap<>();
    private final List<String> wildcardImports = new ArrayList<>();

    private JavaSourceFile(Path path, String text) {
        this.path = path;
        this.code = blankCommentsAndLiterals(text);
        Matcher pkg = PACKAGE.matcher(code);
        this.packageName = pkg.find() ? pkg.group(1) : "";
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            String name = imports.group(1);
            if (imports.group(2) != null) {
                wildcardImports.add(name);
            } else {
                singleImports.put(name.substring(name.lastIndexOf('.') + 1), name);
            }
        }
    }

    static JavaSourceFile read(Path path) {
        try {
            return new JavaSourceFile(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JavaSourceFile of(String fileName, String text) {
        return new JavaSourceFile(Path.of(fileName), text);
    }

    Path path() {
        return path;
    }

    String code() {
        return code;
    }

    int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The class a simple name stands for in this file: a single import, the file's package, or a wildcard import. */
    Optional<Class<?>> resolveClass(String simpleName) {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(singleImports.get(simpleName)).ifPresent(candidates::add);
        candidates.add(packageName.isEmpty() ? simpleName : packageName + "." + simpleName);
        wildcardImports.forEach(prefix -> candidates.add(prefix + "." + simpleName));
        for (String candidate : candidates) {
            try {
                return Optional.of(Class.forName(candidate, false, getClass().getClassLoader()));
            } catch (ClassNotFoundException | LinkageError notThisOne) {
                // try the next candidate
            }
        }
        return Optional.empty();
    }

    /** The declared type of a local variable, field or parameter, e.g. {@code StatefulSet desired} gives StatefulSet. */
    Optional<String> declaredTypeOf(String variable) {
        Matcher declaration = Pattern.compile(
                "\\b([A-Z]\\w*)(?:<[^<>()]*>)?\\s+" + Pattern.quote(variable) + "\\s*[=;,)]").matcher(code);
        return declaration.find() ? Optional.of(declaration.group(1)) : Optional.empty();
    }

    private static String blankCommentsAndLiterals(String text) {
        Matcher matcher = COMMENT_OR_LITERAL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            String found = matcher.group();
            String blank = found.startsWith("\"") ? "\"\"" : found.startsWith("'") ? "' '" : " ";
            // keep line numbers right
            String newlines = found.replaceAll("[^\\n]", "");
            matcher.appendReplacement(out, Matcher.quoteReplacement(blank + newlines));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
