// The `Date` header value, formatted once a second rather than once a response.

import DoorwayHTTP
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum ResponseDate {
    private static let cached = NIOLockedValueBox<(second: Int, value: String)>((0, ""))

    /// Now, as an IMF-fixdate.
    static var current: String {
        let now = time(nil)
        return cached.withLockedValue { cache in
            if cache.second != now {
                cache = (now, HTTPDate.format(now))
            }
            return cache.value
        }
    }

    static var nowSeconds: Int { time(nil) }
}
