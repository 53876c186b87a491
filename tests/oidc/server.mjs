// A real OpenID Connect provider (the certified `oidc-provider` package) for the single sign-on browser tests.
//
// Configured by environment, so the test that starts it says who its users are:
//   OIDC_PORT      port on 127.0.0.1 (the issuer is http://127.0.0.1:<port>)
//   OIDC_CLIENT    JSON: {client_id, client_secret, redirect_uris, post_logout_redirect_uris}
//   OIDC_ACCOUNTS  JSON: {"<login>": {"email": ..., "email_verified": true|false, "name": ...}}; the login is the subject
// Its built-in development pages ask for a login (any password) and for consent; both have a "[ Cancel ]" link.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const client = JSON.parse(process.env.OIDC_CLIENT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients: [{ ...client, grant_types: ['authorization_code'], response_types: ['code'] }],
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the scopes' claims in the ID token, as Google and Microsoft do: st.user holds the ID token's claims only.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['interviewprep-test-only-cookie-key'] },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
