/// The product version, printed by `cockatrice --version`, `GET /` and the cluster status.
public enum CockatriceVersion {
    public static let string = "0.1.0"
}
