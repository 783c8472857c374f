package dev.vestibule.router.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files with the JDK alone: certificates ({@code CERTIFICATE}) and unencrypted private keys in PKCS#8
 * ({@code PRIVATE KEY}, what {@code openssl genpkey} and most tools write) or PKCS#1 RSA ({@code RSA PRIVATE KEY}).
 * No BouncyCastle: the JDK's {@link KeyFactory} reads PKCS#8, and PKCS#1 is wrapped into PKCS#8 here (a fixed
 * header). Encrypted keys and SEC1 EC keys are refused with the openssl command that converts them.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemFiles() {}

    /** One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}) and its DER bytes. */
    record Block(String label, byte[] der) {}

    /** The certificates in {@code file}, in order (a leaf then its chain, or a list of CAs); at least one. */
    public static List<X509Certificate> certificates(Path file) {
        List<Block> blocks = blocks(file);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 support", e);
        }
        for (Block block : blocks) {
            if (block.label().contains("PRIVATE KEY")) {
                throw new TlsFileException(file, "holds a private key (" + block.label() + "); give the key as key_file and only certificates here");
            }
            if (!block.label().equals("CERTIFICATE")) continue;
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new TlsFileException(file, "certificate " + (certificates.size() + 1) + " is not a valid X.509 certificate ("
                        + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(file, "no certificate in it (expected a PEM block -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The private key in {@code file}, of the algorithm of {@code certificateKey} (the certificate's public key, which
     * says whether to read RSA, EC or EdDSA).
     */
    public static PrivateKey privateKey(Path file, PublicKey certificateKey) {
        List<Block> keys = blocks(file).stream().filter(b -> b.label().contains("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw new TlsFileException(file, "no private key in it (expected a PEM block -----BEGIN PRIVATE KEY-----)");
        }
        if (keys.size() > 1) throw new TlsFileException(file, "holds " + keys.size() + " private keys; keep only the certificate's");
        Block key = keys.getFirst();
        byte[] pkcs8 = switch (key.label()) {
            case "PRIVATE KEY" -> key.der();
            case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(key.der());
            case "ENCRYPTED PRIVATE KEY" -> throw new TlsFileException(file, "the private key is encrypted; decrypt it with "
                    + "`openssl pkcs8 -in " + file.getFileName() + " -out key.pem` (keep the file readable by the router only)");
            case "EC PRIVATE KEY" -> throw new TlsFileException(file, "the EC key is in SEC1 form; convert it to PKCS#8 with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem`");
            default -> throw new TlsFileException(file, "a " + key.label() + " block is not a private key this router reads "
                    + "(PRIVATE KEY or RSA PRIVATE KEY)");
        };
        String algorithm = certificateKey.getAlgorithm();
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(file, "not a valid " + algorithm + " private key (the certificate's key is " + algorithm
                    + "): " + e.getMessage(), e);
        }
    }

    static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(file, "no such file");
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot be read: " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(file, "the " + matcher.group(1) + " block is not valid base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new TlsFileException(file, text.isBlank() ? "is empty (expected PEM)"
                    : "is not PEM (no -----BEGIN ...----- / -----END ...----- block; a DER file converts with `openssl x509 -inform der`)");
        }
        return blocks;
    }

    /** A PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: version 0, algorithm rsaEncryption with NULL parameters. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] octets = der(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(octets);
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(length >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
