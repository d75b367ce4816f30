// Where a host with the default configuration keeps its mail, for the commands that read it directly.

extension HostConfiguration {
    /// The mail store of a host with the defaults, `door-data/mail`: where `door mail serve` stores and
    /// `door mail inbox`, `show` and `user` look unless told otherwise.
    public static let defaultMailStore = path("mail", in: defaultDataFolder)
}
