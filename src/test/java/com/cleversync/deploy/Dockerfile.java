package com.cleversync.deploy;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The repository's Dockerfile as a list of instructions (continuation lines joined, comments dropped). */
record Dockerfile(List<Instruction> instructions) {

    static final Path PATH = Path.of("Dockerfile");

    record Instruction(String keyword, String arguments) {
        /** Exec-form (JSON array) arguments, or null for shell form. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                return null;
            }
            return Arrays.asList(JsonMapper.builder().build().readValue(arguments, String[].class));
        }
    }

    static Dockerfile read() {
        try {
            List<Instruction> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(PATH)) {
                String trimmed = line.strip();
                if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                    continue;
                }
                if (!current.isEmpty() && trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String text = current.toString().strip();
                current.setLength(0);
                int space = text.indexOf(' ');
                out.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
            }
            return new Dockerfile(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** Instructions of the last (runtime) stage. */
    List<Instruction> runtimeStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    List<String> entrypoint() {
        return last("ENTRYPOINT").execForm();
    }

    List<String> cmd() {
        return last("CMD").execForm();
    }

    Instruction last(String keyword) {
        List<Instruction> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("Dockerfile has no " + keyword);
        }
        return found.getLast();
    }

    /** The AOT cache training command of the runtime stage, as arguments (without the trailing file check). */
    List<String> trainingCommand() {
        Instruction run = runtimeStage().stream()
                .filter(i -> i.keyword().equals("RUN") && i.arguments().contains("-XX:AOTCacheOutput="))
                .findFirst().orElseThrow(() -> new AssertionError("no AOT cache training RUN in the runtime stage"));
        String command = run.arguments().split("&&")[0].strip();
        return List.of(command.split("\\s+"));
    }
}
