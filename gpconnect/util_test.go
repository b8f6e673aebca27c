package gpconnect

import (
	"errors"

	"github.com/pcnhub/pcnhub"
)

func asError(err error, target **pcnhub.Error) bool { return errors.As(err, target) }
