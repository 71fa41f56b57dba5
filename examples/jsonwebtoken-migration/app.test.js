// The example's own tests (node --test app.test.js), written against
// jsonwebtoken: they make their test tokens with it, and keep doing so when
// the app has migrated (tokens from either library verify in the other).
// APP names the app module (default ./app.js), so that the migrated copy runs
// the same tests (js/test/jsonwebtoken-migration.test.mjs runs both).
const assert = require('node:assert/strict')
const path = require('node:path')
const { after, before, test } = require('node:test')

const SECRET = 'example-secret-for-the-tests-0123456789abcdef'
process.env.JWT_SECRET = SECRET
const appModule = path.resolve(__dirname, process.env.APP || 'app.js')
const { createApp, ISSUER, AUDIENCE } = require(appModule)
// The tests make their own tokens with jsonwebtoken, whichever library the app imports.
const jwt = require('jsonwebtoken')

let server
let base
before(async () => {
  server = createApp().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${server.address().port}`
})
after(() => server.close())

const post = (path, body) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) })
const get = (path, token) =>
  fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) })

async function login(username, password) {
  const response = await post('/login', { username, password })
  assert.equal(response.status, 200)
  return response.json()
}

test('login, then /me with the access token', async () => {
  const { access } = await login('alice', 'wonderland')
  const response = await get('/me', access)
  assert.equal(response.status, 200)
  assert.deepEqual(await response.json(), { user: 'alice', role: 'admin' })
  const payload = jwt.decode(access)
  assert.equal(payload.exp - payload.iat, 15 * 60)
})

test('wrong password', async () => {
  assert.equal((await post('/login', { username: 'alice', password: 'x' })).status, 401)
})

test('no token, a tampered token, a token signed with another secret', async () => {
  assert.equal((await get('/me')).status, 401)
  const { access } = await login('bob', 'builder')
  const [h, p] = access.split('.')
  const forged = Buffer.from(JSON.stringify({ ...jwt.decode(access), role: 'admin' })).toString('base64url')
  let response = await get('/admin', `${h}.${forged}.${access.split('.')[2]}`)
  assert.equal(response.status, 401)
  assert.deepEqual(await response.json(), { error: 'invalid signature' })
  const other = jwt.sign({ role: 'admin' }, 'another-secret-0123456789abcdef0123456789', { subject: 'bob', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 })
  response = await get('/admin', other)
  assert.equal(response.status, 401)
  assert.deepEqual(await response.json(), { error: 'invalid signature' })
  assert.equal((await get('/me', `${h}.${p}`)).status, 401)
})

test('roles: bob is not an admin', async () => {
  const { access } = await login('bob', 'builder')
  assert.equal((await get('/admin', access)).status, 403)
})

test('an expired token: TokenExpiredError with expiredAt', async () => {
  const expired = jwt.sign({ role: 'admin' }, SECRET, { subject: 'alice', issuer: ISSUER, audience: AUDIENCE, expiresIn: -10 })
  const response = await get('/me', expired)
  assert.equal(response.status, 401)
  const body = await response.json()
  assert.equal(body.error, 'token expired')
  assert.equal(body.expiredAt, new Date(jwt.decode(expired).exp * 1000).toISOString())
})

test('a token not active yet: NotBeforeError', async () => {
  const early = jwt.sign({ role: 'admin' }, SECRET, { subject: 'alice', issuer: ISSUER, audience: AUDIENCE, expiresIn: '2h', notBefore: '1h' })
  const response = await get('/me', early)
  assert.equal(response.status, 401)
  assert.deepEqual(await response.json(), { error: 'token not active yet' })
})

test('wrong audience, wrong issuer, another algorithm', async () => {
  const wrongAudience = jwt.sign({}, SECRET, { subject: 'alice', issuer: ISSUER, audience: 'other', expiresIn: 60 })
  assert.deepEqual(await (await get('/me', wrongAudience)).json(), { error: `jwt audience invalid. expected: ${AUDIENCE}` })
  const wrongIssuer = jwt.sign({}, SECRET, { subject: 'alice', issuer: 'evil', audience: AUDIENCE, expiresIn: 60 })
  assert.deepEqual(await (await get('/me', wrongIssuer)).json(), { error: `jwt issuer invalid. expected: ${ISSUER}` })
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
  const unsigned = `${header}.${Buffer.from(JSON.stringify({ sub: 'alice', role: 'admin' })).toString('base64url')}.`
  assert.equal((await get('/admin', unsigned)).status, 401)
})

test('refresh: a refresh token gives a new access token; an access token does not', async () => {
  const { access, refresh } = await login('alice', 'wonderland')
  let response = await post('/refresh', { refresh })
  assert.equal(response.status, 200)
  const renewed = (await response.json()).access
  assert.equal((await get('/me', renewed)).status, 200)
  response = await post('/refresh', { refresh: access })
  assert.equal(response.status, 401)
  response = await post('/refresh', { refresh: 'not-a-token' })
  assert.deepEqual(await response.json(), { error: 'JsonWebTokenError', message: 'jwt malformed' })
})

test('decode shows a token unverified, null for garbage', async () => {
  const { access } = await login('bob', 'builder')
  const shown = await (await get(`/debug/token?token=${access}`)).json()
  assert.equal(shown.header.alg, 'HS256')
  assert.equal(shown.payload.sub, 'bob')
  assert.equal(await (await get('/debug/token?token=garbage')).json(), null)
})
