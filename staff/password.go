package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/pcnhub/pcnhub"
)

// Argon2id parameters (RFC 9106's second recommended option, with the
// memory OWASP suggests for interactive logins): 64 MiB, 3 passes, 2
// lanes, 16-byte salt, 32-byte key. A hash records its parameters, so they
// can be raised later without invalidating stored hashes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted (NCSC guidance:
// length over complexity rules).
const MinPasswordLength = 12

// CheckPasswordPolicy says why a new password is not acceptable (EINVALID),
// or returns nil.
func CheckPasswordPolicy(pw, username string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return pcnhub.Errorf(pcnhub.EINVALID, "a password has at least %d characters", MinPasswordLength)
	case len(pw) > 1024:
		return pcnhub.Errorf(pcnhub.EINVALID, "a password has at most 1024 bytes")
	case username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)):
		return pcnhub.Errorf(pcnhub.EINVALID, "a password may not contain the user name")
	}
	return nil
}

// HashPassword returns the argon2id hash of pw in the PHC string format:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<key>.
func HashPassword(pw string) string {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(fmt.Sprintf("staff: no randomness: %v", err))
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether pw matches hash, in constant time for a
// given hash. A malformed hash matches nothing.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &lanes); err != nil ||
		memory == 0 || memory > 1<<21 || passes == 0 || passes > 16 || lanes == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 || len(key) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, passes, memory, lanes, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when a user name is unknown, so that
// sign-in takes as long as for a known one.
var dummyHash = sync.OnceValue(func() string { return HashPassword("pcnhub dummy password for unknown users") })

// CheckUnknown spends the time a password check takes, for an unknown user.
func CheckUnknown(pw string) { CheckPassword(dummyHash(), pw) }
