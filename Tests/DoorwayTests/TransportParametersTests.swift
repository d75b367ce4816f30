// Validation of transport parameters before any socket exists.

import Doorway
import Testing

struct TransportParametersTests {
    @Test func acceptsSensibleValues() throws {
        let parameters = TransportParameters(
            sendBufferSize: 65536, receiveBufferSize: 65536, maximumSegmentSize: 1200, noDelay: true,
            keepAlive: .init(idle: .seconds(30), interval: .seconds(5), count: 3), reuseAddress: true, backlog: 128,
            connectTimeout: .seconds(3), idleTimeout: .seconds(60)
        )
        try parameters.validate(for: .tcp)
    }

    @Test(arguments: [
        (TransportParameters(maximumSegmentSize: 1200), Transport.udp, "TCP parameter"),
        (TransportParameters(maximumSegmentSize: 1200), Transport.unix, "TCP parameter"),
        (TransportParameters(noDelay: true), Transport.udp, "TCP parameter"),
        (TransportParameters(keepAlive: .init()), Transport.udp, "TCP parameter"),
        (TransportParameters(backlog: 10), Transport.udp, "UDP has no connections"),
        (TransportParameters(sendBufferSize: -1), Transport.tcp, "positive number of bytes"),
        (TransportParameters(receiveBufferSize: 0), Transport.udp, "positive number of bytes"),
        (TransportParameters(maximumSegmentSize: 10), Transport.tcp, "88–32767"),
        (TransportParameters(maximumSegmentSize: 70000), Transport.tcp, "88–32767"),
        (TransportParameters(keepAlive: .init(idle: .milliseconds(1500))), Transport.tcp, "whole number of seconds"),
        (TransportParameters(keepAlive: .init(count: 0)), Transport.tcp, "1–127"),
        (TransportParameters(backlog: 0), Transport.tcp, "1–65535"),
        (TransportParameters(connectTimeout: .zero), Transport.tcp, "longer than zero"),
        (TransportParameters(idleTimeout: .seconds(-1)), Transport.tcp, "longer than zero"),
    ])
    func refusesNonsense(parameters: TransportParameters, transport: Transport, reason: String) {
        #expect {
            try parameters.validate(for: transport)
        } throws: { error in
            (error as? ParameterError)?.description.contains(reason) == true
        }
    }
}
