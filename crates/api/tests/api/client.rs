//! The typed test client: an answer is read as the DTO the API documents (`read::<T>(status)`),
//! a refusal as the domain's `Problem` (`problem(status)`). A test that reads a field the DTO
//! does not have, or an answer that no longer matches its DTO, fails to compile or to decode,
//! where a `serde_json::Value` would have read `null` and compared it.

use portail_domain::api::Problem;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::helpers::TestApp;

/// What a test does with an answer.
#[allow(async_fn_in_trait)] // used by this test crate only, on one runtime
pub trait Answer {
    /// Asserts the status, then decodes the body as `T`; the body is shown when either fails.
    async fn read<T: DeserializeOwned>(self, status: u16) -> T;
    /// Asserts the status and the problem+json content type, then decodes the domain's
    /// `Problem` (its `status` field must agree with the HTTP status).
    async fn problem(self, status: u16) -> Problem;
}

impl Answer for reqwest::Response {
    async fn read<T: DeserializeOwned>(self, status: u16) -> T {
        let (actual, url) = (self.status().as_u16(), self.url().clone());
        let body = self.text().await.expect("a body");
        assert_eq!(actual, status, "{url} answered {actual}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|error| {
            panic!(
                "{url}: the body is not a {} ({error}): {body}",
                std::any::type_name::<T>()
            )
        })
    }

    async fn problem(self, status: u16) -> Problem {
        assert_eq!(
            self.status().as_u16(),
            status,
            "{} answered {}",
            self.url(),
            self.status()
        );
        let problem = crate::helpers::problem(self).await;
        assert_eq!(problem.status, status, "the problem's status");
        problem
    }
}

impl TestApp {
    /// `GET` as `token`, answered 200 with a `T`.
    pub async fn get_ok<T: DeserializeOwned>(&self, path: &str, token: &str) -> T {
        self.get_as(path, token).await.read(200).await
    }

    /// `POST` a `B` as `token`, answered `status` with a `T`.
    pub async fn post_ok<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        body: &B,
        status: u16,
    ) -> T {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("the request reaches the server")
            .read(status)
            .await
    }
}
