package auth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// defaultIdPTimeout bounds every call to the identity provider (code
// exchange, refresh) unless Options.IdPTimeout says otherwise: a hung
// provider must not hang the requests waiting on it.
const defaultIdPTimeout = 10 * time.Second

// tokenResponse is the token endpoint's answer (Entra's fields).
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"` // a number, or (Entra v1) a string
	Scope        string          `json:"scope"`
	IDToken      string          `json:"id_token"`
	Error        string          `json:"error"`
	Description  string          `json:"error_description"`
	ErrorCodes   []int           `json:"error_codes"`
}

// TokenError is the identity provider refusing a token request: its OAuth
// error code and, from Entra, its AADSTS number. The description is not
// kept: it can repeat request details.
type TokenError struct {
	Status int
	Code   string // such as invalid_grant
	AADSTS int    // such as 70008; 0 when the provider is not Entra
}

func (e *TokenError) Error() string {
	s := "auth: the identity provider answered " + strconv.Itoa(e.Status) + " " + e.Code
	if e.AADSTS != 0 {
		s += " (AADSTS" + strconv.Itoa(e.AADSTS) + ")"
	}
	return s
}

// refreshGrant redeems a refresh token, sending the scopes the session was
// granted: Entra's v2.0 endpoint requires scope on a refresh grant.
func (a *Auth) refreshGrant(ctx context.Context, refreshToken, scopes string) (tokenResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, a.idp.Timeout)
	defer cancel()
	form := url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "scope": {scopes},
		"client_id": {a.oauth.ClientID}, "client_secret": {a.oauth.ClientSecret},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.oauth.Endpoint.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return tokenResponse{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := a.idp.Do(req)
	if err != nil {
		return tokenResponse{}, err
	}
	defer resp.Body.Close()
	var tr tokenResponse
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(data, &tr)
	}
	switch {
	case resp.StatusCode != http.StatusOK || tr.Error != "":
		te := &TokenError{Status: resp.StatusCode, Code: oauthCode(tr.Error)}
		if len(tr.ErrorCodes) > 0 {
			te.AADSTS = tr.ErrorCodes[0]
		}
		return tokenResponse{}, te
	case err != nil:
		return tokenResponse{}, errors.New("auth: the token endpoint's answer is not JSON")
	case tr.AccessToken == "":
		return tokenResponse{}, errors.New("auth: the token endpoint sent no access_token")
	}
	return tr, nil
}

// expiry is when an access token of tr expires (expires_in seconds; an
// hour when the provider does not say).
func (tr tokenResponse) expiry(now time.Time) time.Time {
	raw := strings.Trim(string(tr.ExpiresIn), `"`)
	secs, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || secs <= 0 {
		secs = 3600
	}
	return now.Add(time.Duration(secs) * time.Second)
}
