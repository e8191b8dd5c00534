package io.connectaws.it.aws;

import java.time.Instant;

/**
 * One PutMetricData call as CloudWatch answered it, at the {@code time} it arrived. {@code protocol} is {@code rpcv2Cbor}, {@code awsJson1_0} or
 * {@code awsQuery}; {@code bodyBytes} is the body as received (compressed when {@code compressed}),
 * {@code decodedBytes} after decompression (-1 when the call was refused before its body was read: signature or
 * throttling); {@code datums} how many datums it stored (0 unless accepted); {@code errorCode} the code answered (the
 * Query protocol's, which the SDK reports as {@code awsErrorDetails().errorCode()}), null when accepted.
 */
public record CloudWatchCall(Instant time, String protocol, String accessKeyId, boolean compressed, int bodyBytes,
                             int decodedBytes, int datums, int status, String errorCode) {
}
