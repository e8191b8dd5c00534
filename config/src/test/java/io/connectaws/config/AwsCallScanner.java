package io.connectaws.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The AWS actions compiled code calls, read from its bytecode: each call of an AWS SDK v2 service client's operation
 * ({@code SecretsManagerClient.getSecretValue} is {@code secretsmanager:GetSecretValue}, a paginator its operation),
 * calls SDK credential providers make for it ({@code StsAssumeRoleCredentialsProvider} calls {@code sts:AssumeRole}),
 * and the IAM permission a hand-signed request names as a constant ({@code "ec2:DescribeAvailabilityZones"}).
 */
final class AwsCallScanner {
    private static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]+Client");
    private static final Pattern SDK_HELPER = Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/auth/.+");
    private static final Pattern PERMISSION = Pattern.compile("[a-z0-9-]+:[A-Z][A-Za-z]+");
    /** A client's methods that are not operations. */
    private static final Set<String> NOT_OPERATIONS = Set.of("builder", "create", "close", "serviceName",
            "serviceClientConfiguration", "utilities", "waiter", "<init>");
    /** SDK packages whose IAM prefix differs from the package name. */
    private static final Map<String, String> IAM_PREFIX = Map.of("cloudwatchlogs", "logs", "elasticloadbalancingv2",
            "elasticloadbalancing");

    /** Action to the classes that call it. */
    private final Map<String, Set<String>> calls = new TreeMap<>();
    private final Set<String> scannedClasses = new HashSet<>();
    private final Deque<String> sdkHelpers = new ArrayDeque<>();
    private final Set<String> seenHelpers = new HashSet<>();
    private final ClassLoader loader = AwsCallScanner.class.getClassLoader();
    /** Method (owner/Class.name) to the classes invoking it, for every method invoked. */
    private final Map<String, Set<String>> invocations = new HashMap<>();

    /** Scans every class on the classpath but the AWS SDK's own (whose credential providers are followed where used). */
    static AwsCallScanner scanClasspath() throws IOException {
        AwsCallScanner s = new AwsCallScanner();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && p.getFileName().toString().equals("test-classes")) {
                continue; // tests name actions as expectations, not as calls
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            s.scan(in);
                        }
                    }
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        if (e.getName().endsWith(".class") && !e.getName().startsWith("software/amazon/awssdk/")
                                && !e.getName().startsWith("META-INF/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                s.scan(in);
                            }
                        }
                    }
                }
            }
        }
        while (!s.sdkHelpers.isEmpty()) {
            String helper = s.sdkHelpers.pop();
            try (InputStream in = s.loader.getResourceAsStream(helper + ".class")) {
                if (in != null) {
                    s.scan(in);
                }
            }
        }
        return s;
    }

    /** Every action called, with the classes calling it. */
    Map<String, Set<String>> calls() {
        return calls;
    }

    /** The classes (dotted names) that invoke {@code method} of {@code owner} (a dotted class name), as far as scanned. */
    Set<String> callersOf(String owner, String method) {
        return invocations.getOrDefault(owner.replace('.', '/') + "." + method, Set.of());
    }

    /** True when the class (binary name with dots) was read. */
    boolean scanned(String className) {
        return scannedClasses.contains(className.replace('.', '/'));
    }

    private void scan(InputStream classFile) throws IOException {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (IllegalArgumentException unsupported) {
            return; // a class file newer than this ASM reads (multi-release jars' upper versions)
        }
        String name = reader.getClassName();
        scannedClasses.add(name);
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String field, String descriptor, String signature, Object value) {
                if (value instanceof String s && PERMISSION.matcher(s).matches() && !name.startsWith("software/amazon/awssdk/")) {
                    record(s, name); // a constant naming the permission of a hand-signed call
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String desc, boolean itf) {
                        if (!name.startsWith("software/amazon/awssdk/")) {
                            invocations.computeIfAbsent(owner + "." + called, k -> new TreeSet<>()).add(name.replace('/', '.'));
                        }
                        Matcher m = CLIENT.matcher(owner);
                        if (m.matches() && !NOT_OPERATIONS.contains(called) && !owner.endsWith("Builder")) {
                            String op = called.endsWith("Paginator") ? called.substring(0, called.length() - "Paginator".length()) : called;
                            record(IAM_PREFIX.getOrDefault(m.group(1), m.group(1)) + ":"
                                    + Character.toUpperCase(op.charAt(0)) + op.substring(1), name);
                        }
                        helper(owner);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        helper(type);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof String s && PERMISSION.matcher(s).matches() && !name.startsWith("software/amazon/awssdk/")) {
                            record(s, name);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bootstrap, Object... args) {
                        for (Object a : args) {
                            if (a instanceof Handle h) {
                                Matcher m = CLIENT.matcher(h.getOwner());
                                if (m.matches() && !NOT_OPERATIONS.contains(h.getName())) {
                                    visitMethodInsn(Opcodes.INVOKEINTERFACE, h.getOwner(), h.getName(), h.getDesc(), true);
                                }
                                helper(h.getOwner());
                            }
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    private void helper(String owner) {
        if (SDK_HELPER.matcher(owner).matches() && seenHelpers.add(owner)) {
            sdkHelpers.push(owner);
        }
    }

    private void record(String action, String className) {
        calls.computeIfAbsent(action, k -> new TreeSet<>()).add(className.replace('/', '.'));
    }
}
