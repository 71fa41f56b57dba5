// An Express API written against the npm `jsonwebtoken`, as services write it
// today. Migrating to jwt-accord is this file's one import line:
//
//   const jwt = require('jsonwebtoken')            ->  const jwt = require('jwt-accord/jsonwebtoken')
//
// Nothing else changes (app.test.js passes with either: README.md).
const express = require('express')
const jwt = require('jsonwebtoken')

const SECRET = process.env.JWT_SECRET
const ISSUER = 'auth.example'
const AUDIENCE = 'api.example'
const USERS = { alice: { password: 'wonderland', role: 'admin' }, bob: { password: 'builder', role: 'user' } }

/** Verifies the bearer token; `req.user` is its payload, or a 401 with jsonwebtoken's message. */
function authenticate(req, res, next) {
  const header = req.headers.authorization || ''
  const token = header.startsWith('Bearer ') ? header.slice(7) : null
  if (!token) return res.status(401).json({ error: 'no token' })
  jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }, (err, payload) => {
    if (err instanceof jwt.TokenExpiredError) return res.status(401).json({ error: 'token expired', expiredAt: err.expiredAt })
    if (err instanceof jwt.NotBeforeError) return res.status(401).json({ error: 'token not active yet' })
    if (err) return res.status(401).json({ error: err.message })
    req.user = payload
    next()
  })
}

function createApp() {
  const app = express()
  app.use(express.json())

  app.post('/login', (req, res) => {
    const { username, password } = req.body || {}
    const user = USERS[username]
    if (!user || user.password !== password) return res.status(401).json({ error: 'bad credentials' })
    const access = jwt.sign({ role: user.role }, SECRET, { subject: username, issuer: ISSUER, audience: AUDIENCE, expiresIn: '15m' })
    const refresh = jwt.sign({ typ: 'refresh' }, SECRET, { subject: username, issuer: ISSUER, audience: AUDIENCE, expiresIn: '7d' })
    res.json({ access, refresh })
  })

  app.post('/refresh', (req, res) => {
    try {
      const payload = jwt.verify(req.body.refresh, SECRET, { issuer: ISSUER, audience: AUDIENCE, maxAge: '30d' })
      if (payload.typ !== 'refresh') return res.status(401).json({ error: 'not a refresh token' })
      const access = jwt.sign({ role: USERS[payload.sub].role }, SECRET, { subject: payload.sub, issuer: ISSUER, audience: AUDIENCE, expiresIn: 900 })
      res.json({ access })
    } catch (err) {
      res.status(401).json({ error: err.name, message: err.message })
    }
  })

  app.get('/me', authenticate, (req, res) => res.json({ user: req.user.sub, role: req.user.role }))

  app.get('/admin', authenticate, (req, res) => {
    if (req.user.role !== 'admin') return res.status(403).json({ error: 'forbidden' })
    res.json({ ok: true })
  })

  // Shows what a client sent, unverified (decode checks nothing).
  app.get('/debug/token', (req, res) => res.json(jwt.decode(String(req.query.token), { complete: true })))

  return app
}

module.exports = { createApp, ISSUER, AUDIENCE }

if (require.main === module) {
  createApp().listen(Number(process.env.PORT || 3000), '127.0.0.1')
}
