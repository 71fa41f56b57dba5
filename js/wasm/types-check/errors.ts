// Must NOT type-check: each line carries @ts-expect-error, so tsc fails if the
// types ever accept these (a missing env, a wrong option type, a bad key...).
import { resolveSecret, Signer, Verifier, sign, fingerprint, JwtAccordError, Resolution } from 'jwt-accord-wasm'

// @ts-expect-error env is required in the WASM build
resolveSecret({ environment: 'staging' })
// @ts-expect-error env is required in the WASM build
resolveSecret()
// @ts-expect-error a duration string needs a unit ('60' is 60 ms in jsonwebtoken)
new Signer('k'.repeat(40), { expiresIn: '60' })
// @ts-expect-error snake_case option names are not the JavaScript API
new Signer('k'.repeat(40), { expires_in: 60 })
// @ts-expect-error leeway is a number
new Verifier('k'.repeat(40), { leeway: '5' })
// @ts-expect-error required is a list
new Verifier('k'.repeat(40), { required: 'exp' })
// @ts-expect-error a key is text, bytes or a Resolution
new Verifier(42)
// @ts-expect-error now is a number
sign({}, 'k'.repeat(40), { now: '1700000000' })
// @ts-expect-error an ArrayBuffer is not a key: pass a Uint8Array
fingerprint(new ArrayBuffer(8))
// @ts-expect-error codes are those of docs/spec.md §10
const code: JwtAccordError['code'] = 'bad_code'
// @ts-expect-error a Resolution is made by resolveSecret
new Resolution()
export { code }
// @ts-expect-error a signer's fingerprint is read-only
new Signer('k'.repeat(40)).fingerprint = 'x'
