package io.connectaws.it.aws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * EC2 over the Query protocol (form POST with {@code Version=2016-11-15}, XML answers): DescribeAvailabilityZones.
 *
 * <p>The region has zones {@code <region>a}, {@code b} and {@code c}, plus the ECS metadata's zone if that is another
 * letter of the same region. Zone IDs are deterministic and, as in a real account, not in letter order: the region
 * code (first letters of the name's words, compass compounds as two: {@code eu-west-1} → {@code euw1},
 * {@code us-east-1} → {@code use1}, {@code ap-southeast-2} → {@code apse2}, {@code us-gov-west-1} → {@code usgw1}),
 * then {@code -az} and a number: {@code a} → 3, {@code b} → 1, {@code c} → 2, and from {@code d} on the letter's
 * position ({@code d} → 4). So {@code eu-west-1a} is {@code euw1-az3}.
 *
 * <p>{@code denyAccess("ec2:DescribeAvailabilityZones")} makes the action answer 403 UnauthorizedOperation.
 */
final class Ec2Api {
    static final String SIGNING_NAME = "ec2";
    static final String VERSION = "2016-11-15";
    static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String DESCRIBE_AVAILABILITY_ZONES = "ec2:DescribeAvailabilityZones";

    private final String region;
    private final List<String> zones = new ArrayList<>();
    private final Predicate<String> denied;

    Ec2Api(String region, String extraZone, Predicate<String> denied) {
        this.region = region;
        this.denied = denied;
        Set<String> names = new LinkedHashSet<>(List.of(region + "a", region + "b", region + "c"));
        if (extraZone != null && extraZone.length() == region.length() + 1 && extraZone.startsWith(region)
            && Character.isLowerCase(extraZone.charAt(region.length()))) {
            names.add(extraZone);
        }
        zones.addAll(names);
        zones.sort(null);
    }

    /** The zone ID of a zone name of {@code region} ({@code <region><letter>}), as documented on the class. */
    static String zoneId(String region, String zoneName) {
        int index = zoneName.charAt(zoneName.length() - 1) - 'a';
        int number = index < 3 ? (index + 2) % 3 + 1 : index + 1;
        return regionCode(region) + "-az" + number;
    }

    /** {@code eu-west-1} → {@code euw1}, {@code ap-northeast-1} → {@code apne1}, {@code us-gov-west-1} → {@code usgw1}. */
    static String regionCode(String region) {
        String[] parts = region.split("-");
        StringBuilder code = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length - 1; i++) {
            String word = parts[i];
            switch (word) {
                case "northeast": code.append("ne"); break;
                case "northwest": code.append("nw"); break;
                case "southeast": code.append("se"); break;
                case "southwest": code.append("sw"); break;
                default: code.append(word.isEmpty() ? "" : word.substring(0, 1));
            }
        }
        return code.append(parts.length > 1 ? parts[parts.length - 1] : "").toString();
    }

    /** Answers the action's XML document, or throws the error to answer. */
    String handle(String action, Map<String, String> form, SigV4Verifier.Identity caller) {
        if (!"DescribeAvailabilityZones".equals(action)) {
            throw ApiException.badRequest("InvalidAction", "The action " + action + " is not valid for this web "
                + "service.");
        }
        if (denied.test(DESCRIBE_AVAILABILITY_ZONES)) {
            throw new ApiException(403, "UnauthorizedOperation", "You are not authorized to perform this operation. "
                + "User: " + caller.arn() + " is not authorized to perform: " + DESCRIBE_AVAILABILITY_ZONES
                + " because no identity-based policy allows the " + DESCRIBE_AVAILABILITY_ZONES + " action");
        }
        List<String> names = indexed(form, "ZoneName.");
        List<String> ids = indexed(form, "ZoneId.");
        for (int f = 1; form.containsKey("Filter." + f + ".Name"); f++) {
            String filter = form.get("Filter." + f + ".Name");
            List<String> values = indexed(form, "Filter." + f + ".Value.");
            switch (filter) {
                case "zone-name": names.addAll(values); break;
                case "zone-id": ids.addAll(values); break;
                case "region-name":
                    if (!values.contains(region)) {
                        return response(List.of());
                    }
                    break;
                default: throw ApiException.badRequest("InvalidParameterValue", "The filter '" + filter
                    + "' is invalid");
            }
        }
        for (String name : names) {
            if (!zones.contains(name)) {
                throw ApiException.badRequest("InvalidParameterValue", "Invalid availability zone: [" + name + "]");
            }
        }
        for (String id : ids) {
            if (zones.stream().noneMatch(z -> zoneId(region, z).equals(id))) {
                throw ApiException.badRequest("InvalidParameterValue", "Invalid availability zone-id: [" + id + "]");
            }
        }
        List<String> selected = new ArrayList<>();
        for (String zone : zones) {
            if ((names.isEmpty() || names.contains(zone)) && (ids.isEmpty() || ids.contains(zoneId(region, zone)))) {
                selected.add(zone);
            }
        }
        return response(selected);
    }

    private String response(List<String> selected) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<DescribeAvailabilityZonesResponse xmlns=\"").append(XMLNS).append("\">\n")
            .append("    <requestId>").append(UUID.randomUUID()).append("</requestId>\n")
            .append("    <availabilityZoneInfo>\n");
        for (String zone : selected) {
            xml.append("        <item>\n")
                .append("            <zoneName>").append(zone).append("</zoneName>\n")
                .append("            <zoneState>available</zoneState>\n")
                .append("            <optInStatus>opt-in-not-required</optInStatus>\n")
                .append("            <messageSet/>\n")
                .append("            <regionName>").append(region).append("</regionName>\n")
                .append("            <groupName>").append(region).append("</groupName>\n")
                .append("            <networkBorderGroup>").append(region).append("</networkBorderGroup>\n")
                .append("            <zoneId>").append(zoneId(region, zone)).append("</zoneId>\n")
                .append("            <zoneType>availability-zone</zoneType>\n")
                .append("        </item>\n");
        }
        return xml.append("    </availabilityZoneInfo>\n")
            .append("</DescribeAvailabilityZonesResponse>\n").toString();
    }

    /**
     * EC2's codes for a failed signature check: like STS's, except an unknown key is 401 AuthFailure and a time more
     * than 15 minutes off is 400 RequestExpired (EC2's Common Errors).
     */
    static ApiException authError(SigV4Verifier.Failure failure, ApiException queryError) {
        switch (failure) {
            case UNKNOWN_KEY:
                return new ApiException(401, "AuthFailure", "AWS was not able to validate the provided access "
                    + "credentials");
            case SKEWED:
                return ApiException.badRequest("RequestExpired", "Request has expired.");
            default:
                return queryError;
        }
    }

    /** EC2's throttling answer. */
    static ApiException throttled() {
        return new ApiException(503, "RequestLimitExceeded", "Request limit exceeded.");
    }

    /** EC2's error document (not STS's ErrorResponse). */
    static String errorXml(ApiException e) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Response><Errors><Error><Code>" + StsApi.xml(e.code) + "</Code><Message>" + StsApi.xml(e.getMessage())
            + "</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>\n";
    }

    private static List<String> indexed(Map<String, String> form, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + i); i++) {
            values.add(form.get(prefix + i));
        }
        return values;
    }
}
