// Type-checks jwt-accord/jsonwebtoken's declarations (js/shared/integrations/
// jsonwebtoken.d.ts) as code written for @types/jsonwebtoken uses them, and the
// main API's accepted habits (durations, algorithms). Never run.
import { createSecretKey } from 'node:crypto'

import { Signer, Verifier } from 'jwt-accord'
import jwt, { JsonWebTokenError, TokenExpiredError, decode, sign, verify, type Jwt } from 'jwt-accord/jsonwebtoken'

const secret = 'a-secret-of-at-least-32-bytes-for-hs256'
const token: string = sign({ role: 'admin' }, secret, { expiresIn: '15m', algorithm: 'HS256', subject: 'ada', keyid: 'k1' })
sign({}, Buffer.from(secret), { notBefore: 60, noTimestamp: true }, (error, signed) => console.log(error, signed))
sign({}, createSecretKey(Buffer.from(secret)), (error) => console.log(error))

const claims = verify(token, secret, { algorithms: ['HS256'], audience: ['api'], clockTolerance: 5, maxAge: '1h' })
const sub: string | undefined = claims.sub
const full: Jwt = verify(token, secret, { complete: true })
const kid: string | undefined = full.header.kid
verify(token, (header, done) => done(null, header.kid === 'k1' ? secret : ''), (error, decoded) => console.log(error, decoded))
const payload = decode(token)
const header = jwt.decode(token, { complete: true })?.header

try {
  jwt.verify(token, secret)
} catch (error) {
  if (error instanceof TokenExpiredError) console.log(error.expiredAt.toISOString(), error.code)
  else if (error instanceof JsonWebTokenError) console.log(error.message, error.inner)
}

const signer = new Signer(secret, { expiresIn: '7d', notBefore: '0s', algorithm: 'HS256' })
const verifier = new Verifier(secret, { algorithms: ['HS256'], maxAge: '30 days' })
console.log(sub, kid, payload, header, signer, verifier)
