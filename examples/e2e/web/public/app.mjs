// The page of the end-to-end example: logs in at the Python auth service,
// calls the Node and Rust APIs with the access token, shows the token's expiry
// and kid with decodeUnverified from jwt-accord-wasm/tokens (the tokens-only
// module a front end loads), and refreshes the token
// before it expires. It also opens a WebSocket to the Node API and to the auth
// service with the access token (`Sec-WebSocket-Protocol: jwt-accord.bearer,
// <token>`), shows each one's greeting, and when one closes, its code and
// reason (4401 and the error code for a refused or expired token); each is
// opened again with the new token after a refresh. Tokens live in memory only.
//
// What the page did is also left in window.__e2e, for the tests.
import init, { decodeUnverified } from 'jwt-accord-wasm/tokens'

const $ = (id) => document.getElementById(id)
const state = (window.__e2e = { ready: false, logins: 0, refreshes: [], calls: [], sockets: [], token: null, errors: [] })
const config = await (await fetch('/config.json')).json()

// [setup]
await init() // instantiates the tokens module (pkg-tokens/jwt_accord_bg.wasm, next to tokens.mjs)

/** When to refresh: a minute before `exp`, or a quarter of the lifetime for short-lived tokens. */
function refreshTime(accessToken) {
  const { header, claims } = decodeUnverified(accessToken) // checks nothing: the APIs verify
  const margin = Math.min(60, (claims.exp - claims.iat) / 4)
  return { kid: header.kid, exp: claims.exp, iat: claims.iat, refreshAt: claims.exp - margin }
}
// [/setup]

let tokens = null
let timer = null

async function post(path, body) {
  const response = await fetch(`${config.authUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await response.json()
  if (!response.ok) throw new Error(`${path}: ${response.status} ${json.code}: ${json.message}`)
  return json
}

async function callApi(name, url) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${tokens.access_token}` } })
  const body = await response.json()
  state.calls.push({ api: name, status: response.status, body, at: Date.now() })
  $(`${name}-status`).textContent = String(response.status)
  $(`${name}-body`).textContent = JSON.stringify(body, null, 2)
}

function callApis() {
  openSocket('threads-ws', config.threadsUrl)
  openSocket('auth-ws', config.authUrl)
  return Promise.all([
    callApi('threads', `${config.threadsUrl}/api/threads`),
    callApi('profile', `${config.profileUrl}/api/profile`),
  ])
}

const sockets = {}

/** Opens `${url}/ws` with the access token as a subprotocol (a browser cannot set Authorization on a WebSocket). */
function openSocket(name, url) {
  if (sockets[name]) sockets[name].onclose = null
  sockets[name]?.close(1000)
  const entry = { name, opened: false, greeting: null, code: null, reason: null }
  state.sockets.push(entry)
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, ['jwt-accord.bearer', tokens.access_token])
  sockets[name] = socket
  $(`${name}-status`).textContent = 'connecting'
  socket.onopen = () => {
    entry.opened = true
    $(`${name}-status`).textContent = `open (${socket.protocol})`
  }
  socket.onmessage = (event) => {
    entry.greeting ??= JSON.parse(event.data)
    $(`${name}-body`).textContent = event.data
  }
  socket.onclose = (event) => {
    Object.assign(entry, { code: event.code, reason: event.reason })
    $(`${name}-status`).textContent = `closed ${event.code} ${event.reason}`
  }
}

/** Shows the new tokens and schedules the next refresh. */
function use(newTokens) {
  tokens = newTokens
  const token = refreshTime(tokens.access_token)
  state.token = token
  $('kid').textContent = token.kid
  $('expires').textContent = new Date(token.exp * 1000).toISOString()
  $('expires').dataset.exp = String(token.exp)
  $('refresh-at').textContent = new Date(token.refreshAt * 1000).toISOString()
  $('refresh-at').dataset.at = String(token.refreshAt)
  clearTimeout(timer)
  timer = setTimeout(refresh, Math.max(0, token.refreshAt * 1000 - Date.now()))
}

async function refresh() {
  try {
    const oldExp = state.token.exp
    const at = Date.now()
    use(await post('/refresh', { refresh_token: tokens.refresh_token }))
    state.refreshes.push({ at, oldExp, newExp: state.token.exp })
    $('refreshes').textContent = String(state.refreshes.length)
    $('status').textContent = `refreshed at ${new Date(at).toISOString()}`
    await callApis()
  } catch (error) {
    fail(error)
  }
}

function fail(error) {
  state.errors.push(String(error.message || error))
  $('status').textContent = `error: ${error.message || error}`
  console.error(error)
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault()
  try {
    $('status').textContent = 'logging in...'
    use(await post('/login', { username: $('username').value, password: $('password').value }))
    state.logins += 1
    $('status').textContent = `logged in as ${$('username').value}`
    await callApis()
  } catch (error) {
    fail(error)
  }
})

$('login-button').disabled = false
$('status').textContent = 'ready: log in as ada'
state.ready = true
