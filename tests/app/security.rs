//! Forged requests and security headers.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let form = [
        ("name", "Forged Ltd"),
        ("legal_address", "x"),
        ("email", "a@b.ie"),
        ("country", "IE"),
    ];
    let _ = app.get("/").await;
    let r = app.post_raw("/organisations", &form).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut wrong = form.to_vec();
    wrong.push(("csrf_token", "0000"));
    let r = app.post_raw("/organisations", &wrong).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("Forged Ltd"));
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = spawn_app().await;
    let token = app.csrf().await;
    let form = [
        ("name", "Forged Ltd"),
        ("legal_address", "x"),
        ("email", "a@b.ie"),
        ("country", "IE"),
        ("csrf_token", &token),
    ];
    let r = app
        .client
        .post(format!("{}/organisations", app.address))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .post(format!("{}/organisations", app.address))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("Forged Ltd"));
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/activities", app.address))
        .send()
        .await
        .expect("get");
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("form-action 'self'")
    );
    assert_eq!(
        h.get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert_eq!(
        h.get("referrer-policy").and_then(|v| v.to_str().ok()),
        Some("same-origin")
    );
    let fresh = new_client();
    let r = fresh
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("get");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let r = app.login(&fresh, ADMIN, PASSWORD).await;
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ropa_session="))
        .unwrap_or_default()
        .to_owned();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
}
